import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DELIVERY_LABELS, MAIL_KIND_BY_NAME, type DeliveryMode } from "./mail-kinds";

/** What every message needs besides its row: where the app lives, who it speaks for, the key it signs with. */
export interface MailContext {
  baseUrl: string;
  companyName: string;
  secret: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface MailItem {
  kind: string;
  title: string;
  link: string;
  createdAt: Date;
}

export const DIGEST_KIND = "digest";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function absoluteUrl(ctx: MailContext, link: string): string {
  return new URL(link, ctx.baseUrl.replace(/\/?$/, "/")).href;
}

/** HMAC over (user, kind) with the session secret: the unsubscribe link needs no sign-in and cannot be forged. */
export function unsubscribeSignature(secret: string, userId: string, kind: string): string {
  return createHmac("sha256", secret).update(`vetted-unsubscribe\n${userId}\n${kind}`).digest("base64url");
}

export function verifyUnsubscribe(secret: string, userId: string, kind: string, signature: string): boolean {
  const expected = Buffer.from(unsubscribeSignature(secret, userId, kind));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function unsubscribeUrl(ctx: MailContext, userId: string, kind: string): string {
  const params = new URLSearchParams({ u: userId, k: kind, s: unsubscribeSignature(ctx.secret, userId, kind) });
  return absoluteUrl(ctx, `/unsubscribe?${params}`);
}

/** RFC 2369 + RFC 8058: mail clients show "Unsubscribe" and may POST to it in one click. */
function listHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

function layout(ctx: MailContext, body: string, footer: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:36rem;margin:0 auto;padding:1rem">
<p style="color:#555;font-size:.9rem;margin:0 0 1rem">${escapeHtml(ctx.companyName)} · Vetted</p>
${body}
<hr style="border:0;border-top:1px solid #ddd;margin:2rem 0 1rem">
<p style="color:#555;font-size:.85rem">${footer}</p>
</body></html>`;
}

const button = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:.5rem 1rem;border-radius:4px;text-decoration:none">${escapeHtml(label)}</a></p>`;

/** One inbox item as its own message. */
export function renderNotificationMail(ctx: MailContext, to: { id: string; displayName: string }, item: MailItem, mode: DeliveryMode = "immediate"): RenderedMail {
  const kind = MAIL_KIND_BY_NAME.get(item.kind);
  const label = kind?.label ?? item.kind;
  const action = kind?.action ?? "Open it";
  const url = absoluteUrl(ctx, item.link);
  const settings = absoluteUrl(ctx, "/settings/notifications");
  const unsubscribe = unsubscribeUrl(ctx, to.id, item.kind);
  const text = [
    `Hello ${to.displayName},`,
    "",
    item.title,
    "",
    `${action}: ${url}`,
    "",
    `— ${ctx.companyName} knowledge base (Vetted)`,
    "",
    `You get this email because “${label}” is set to “${DELIVERY_LABELS[mode]}” in your notification settings: ${settings}`,
    `Stop these emails: ${unsubscribe}`,
    "",
  ].join("\n");
  const html = layout(
    ctx,
    `<p>Hello ${escapeHtml(to.displayName)},</p>\n<p><strong>${escapeHtml(item.title)}</strong></p>\n${button(url, action)}\n<p style="font-size:.85rem;color:#555">Or open ${escapeHtml(url)}</p>`,
    `You get this email because “${escapeHtml(label)}” is set to “${DELIVERY_LABELS[mode]}” in your <a href="${escapeHtml(settings)}">notification settings</a>. <a href="${escapeHtml(unsubscribe)}">Stop these emails</a>.`,
  );
  return { subject: item.title, text, html, headers: listHeaders(unsubscribe) };
}

/** Everything a person chose to hear about once a day, grouped by kind, oldest first. */
export function renderDigestMail(ctx: MailContext, to: { id: string; displayName: string }, items: readonly MailItem[]): RenderedMail {
  const groups = new Map<string, MailItem[]>();
  for (const item of [...items].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const list = groups.get(item.kind) ?? [];
    list.push(item);
    groups.set(item.kind, list);
  }
  const settings = absoluteUrl(ctx, "/settings/notifications");
  const unsubscribe = unsubscribeUrl(ctx, to.id, DIGEST_KIND);
  const n = items.length;
  const subject = `${ctx.companyName}: your daily digest (${n} update${n === 1 ? "" : "s"})`;
  const textParts = [`Hello ${to.displayName},`, "", `Here is what happened since your last digest.`, ""];
  const htmlParts = [`<p>Hello ${escapeHtml(to.displayName)},</p>`, `<p>Here is what happened since your last digest.</p>`];
  for (const [kind, list] of groups) {
    const label = MAIL_KIND_BY_NAME.get(kind)?.label ?? kind;
    textParts.push(label);
    htmlParts.push(`<h2 style="font-size:1rem;margin:1.5rem 0 .5rem">${escapeHtml(label)}</h2><ul>`);
    for (const item of list) {
      const url = absoluteUrl(ctx, item.link);
      textParts.push(`- ${item.title}`, `  ${url}`);
      htmlParts.push(`<li><a href="${escapeHtml(url)}">${escapeHtml(item.title)}</a></li>`);
    }
    textParts.push("");
    htmlParts.push("</ul>");
  }
  textParts.push(`— ${ctx.companyName} knowledge base (Vetted)`, "", `Change what comes in the digest and when: ${settings}`, `Stop the daily digest: ${unsubscribe}`, "");
  const html = layout(
    ctx,
    htmlParts.join("\n"),
    `Change what comes in the digest and when in your <a href="${escapeHtml(settings)}">notification settings</a>. <a href="${escapeHtml(unsubscribe)}">Stop the daily digest</a>.`,
  );
  return { subject, text: textParts.join("\n"), html, headers: listHeaders(unsubscribe) };
}

/** The reset link: no unsubscribe (the person asked for it), and it says what to do if they did not. */
export function renderPasswordResetMail(ctx: MailContext, to: { displayName: string }, token: string, ttlMinutes: number): RenderedMail {
  const url = absoluteUrl(ctx, `/reset-password/${token}`);
  const subject = `Reset your password for ${ctx.companyName} Vetted`;
  const text = [
    `Hello ${to.displayName},`,
    "",
    `Someone (we hope you) asked to reset your Vetted password. Choose a new one here:`,
    "",
    url,
    "",
    `The link works once, for ${ttlMinutes} minutes. Using it signs you out everywhere else.`,
    `If you did not ask, ignore this email: your password stays as it is.`,
    "",
    `— ${ctx.companyName} knowledge base (Vetted)`,
    "",
  ].join("\n");
  const html = layout(
    ctx,
    `<p>Hello ${escapeHtml(to.displayName)},</p>\n<p>Someone (we hope you) asked to reset your Vetted password.</p>\n${button(url, "Choose a new password")}\n<p style="font-size:.85rem;color:#555">Or open ${escapeHtml(url)}</p>\n<p>The link works once, for ${ttlMinutes} minutes. Using it signs you out everywhere else. If you did not ask, ignore this email: your password stays as it is.</p>`,
    `${escapeHtml(ctx.companyName)} knowledge base (Vetted)`,
  );
  return { subject, text, html, headers: {} };
}

// The reset token waits in the mail queue until it is sent; sealed with a key derived from the
// session secret so a copy of the database alone cannot use it. The payload is cleared once sent.
function sealKey(secret: string): Buffer {
  return createHash("sha256").update(`vetted-mail-seal\n${secret}`).digest();
}

export function seal(secret: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
}

export function unseal(secret: string, sealed: string): string | null {
  const [iv, tag, body] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  if (!iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealKey(secret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
