import { useRouteLoaderData } from "@remix-run/react";
import { useCallback, useState } from "react";

/** What the copy buttons offer: the short or full answer alone, or a channel's whole reply. */
const CHANNELS = [
  { format: "chat", label: "Chat" },
  { format: "email", label: "Email" },
  { format: "social", label: "Social" },
  { format: "phone", label: "Phone script" },
] as const;
type Format = "short" | "full" | (typeof CHANNELS)[number]["format"];
type Channel = (typeof CHANNELS)[number]["format"];

interface Reply {
  ok: boolean;
  text: string;
  html: string;
  message?: string;
}

async function fetchReply(answerId: string, format: Format, panel: boolean): Promise<Reply> {
  const response = await fetch(`${panel ? `/panel/reply/${answerId}` : `/answers/${answerId}/reply`}?format=${format}`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = (await response.json()) as Reply;
  if (!response.ok || !body.ok) throw new Error(body.message ?? "The answer could not be loaded.");
  return body;
}

/**
 * Puts both flavours on the clipboard: text/html for tools that take rich text, text/plain
 * (link addresses, bullets and tables kept) for the rest. The reply is fetched inside the click:
 * a ClipboardItem takes promises, so the browser keeps the click's permission to write.
 */
async function copyReply(answerId: string, format: Format, panel: boolean): Promise<void> {
  const reply = fetchReply(answerId, format, panel);
  if (typeof ClipboardItem !== "undefined" && navigator.clipboard?.write) {
    await navigator.clipboard.write([
      new ClipboardItem({
        "text/plain": reply.then((r) => new Blob([r.text], { type: "text/plain" })),
        "text/html": reply.then((r) => new Blob([r.html], { type: "text/html" })),
      }),
    ]);
    return;
  }
  await navigator.clipboard.writeText((await reply).text);
}

interface Props {
  answerId: string;
  /** The search that led here, stored with the use so the search can learn from it. */
  searchSession?: string | undefined;
  searchQuery?: string | undefined;
  /** The help-desk conversation, when the panel knows it: one use per conversation. */
  conversation?: string | undefined;
  canUse: boolean;
  /** In the framed help-desk panel: its endpoints live under /panel, where its cookies go. */
  panel?: boolean;
}

/**
 * The agent's actions on one certified answer: copy (short, full, or per channel), "Used in
 * reply" with Undo. Shared by search results, the answer page and the help-desk panel.
 */
export function ReplyActions({ answerId, searchSession, searchQuery, conversation, canUse, panel = false }: Props) {
  const csrf = (useRouteLoaderData("root") as { csrf?: string } | undefined)?.csrf ?? "";
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  const [channel, setChannel] = useState<Channel>("chat");
  const [lastUse, setLastUse] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const post = useCallback(
    async (fields: Record<string, string | undefined>) => {
      const data = new FormData();
      data.set("csrf", csrf);
      for (const [k, v] of Object.entries(fields)) if (v) data.set(k, v);
      const response = await fetch(panel ? "/panel/use" : "/search/use", { method: "POST", body: data, credentials: "same-origin" });
      return (await response.json().catch(() => ({ ok: false, message: `The server answered ${response.status}.` }))) as { ok: boolean; message: string; useId?: string };
    },
    [csrf, panel],
  );

  const copy = useCallback(
    async (format: Format, label: string) => {
      try {
        await copyReply(answerId, format, panel);
        setStatus({ text: `${label} copied — paste it into your reply.` });
      } catch (error) {
        setStatus({ text: `Copy failed (${error instanceof Error ? error.message : "clipboard refused"}): open the answer and select the text instead.`, error: true });
        return;
      }
      const isChannel = format !== "short" && format !== "full";
      if (isChannel) setChannel(format);
      void post({ answerId, kind: format === "short" ? "copy_short" : "copy_full", channel: isChannel ? format : undefined, searchSession, searchQuery, conversation });
    },
    [answerId, conversation, panel, post, searchQuery, searchSession],
  );

  const used = useCallback(async () => {
    setBusy(true);
    try {
      const result = await post({ answerId, kind: "used", channel, searchSession, searchQuery, conversation });
      setStatus({ text: result.message, error: !result.ok });
      setLastUse(result.ok && result.useId ? result.useId : null);
    } finally {
      setBusy(false);
    }
  }, [answerId, channel, conversation, post, searchQuery, searchSession]);

  const undo = useCallback(async () => {
    if (!lastUse) return;
    const result = await post({ intent: "undo", useId: lastUse });
    setStatus({ text: result.message, error: !result.ok });
    if (result.ok) setLastUse(null);
  }, [lastUse, post]);

  return (
    <div className="reply-actions">
      <div className="actions">
        <button type="button" onClick={() => void copy("short", "Short answer")} aria-keyshortcuts="s">
          Copy short answer
        </button>
        <button type="button" onClick={() => void copy("full", "Full answer")} aria-keyshortcuts="f">
          Copy full answer
        </button>
      </div>
      <div className="actions channel-copies" role="group" aria-label="Copy a reply for a channel">
        <span className="muted">Copy for</span>
        {CHANNELS.map((c) => (
          <button type="button" key={c.format} className="chip-button" onClick={() => void copy(c.format, `${c.label} reply`)}>
            {c.label}
          </button>
        ))}
      </div>
      {canUse ? (
        <div className="actions">
          <label className="inline">
            <span className="visually-hidden">Channel of your reply</span>
            <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)} aria-label="Channel of your reply">
              {CHANNELS.map((c) => (
                <option key={c.format} value={c.format}>
                  {c.label.replace(" script", "")}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void used()} disabled={busy}>
            Used in reply
          </button>
          {lastUse ? (
            <button type="button" className="link-button" onClick={() => void undo()}>
              Undo
            </button>
          ) : null}
        </div>
      ) : null}
      <p role="status" aria-live="polite" className={status?.error ? "field-error" : "muted reply-status"}>
        {status?.text ?? ""}
      </p>
    </div>
  );
}
