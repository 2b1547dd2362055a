import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { FLAG_REASON_LABELS, READER_REASONS } from "../models/feedback-labels";
import { CsrfInput } from "./csrf-input";
import { FieldError } from "./field-error";
import { Icon } from "./icons";

type Result =
  | {
      ok: true;
      intent: "rate" | "flag";
      message: string;
      ratings?: { helpful: number; notHelpful: number; mine: boolean | null };
    }
  | { ok: false; intent: string; errors: Record<string, string[]> };

interface Props {
  answerId: string;
  /** Where the form posts: the answer page's own action, /search/feedback or /panel/feedback. */
  action: string;
  source: "answer" | "search" | "panel";
  canRate: boolean;
  canFlag: boolean;
  /** The reader's current rating of the live version, when the page knows it. */
  mine?: boolean | null;
  /** A flag of theirs still open: they are told instead of being offered a second one. */
  openFlagNote?: string | null;
  /** Search results and the panel: one line, the flag form opens below it. */
  compact?: boolean;
  /** The page's action result after a post without JavaScript. */
  posted?: Result | undefined;
}

/**
 * "Helpful / Not helpful" and "Flag a problem" on one certified answer, wherever it is read.
 * Forms first (they post without JavaScript on the answer page); with JavaScript a fetcher keeps
 * the reader where they are and says where the flag went.
 */
export type FeedbackResult = Result;

export function AnswerFeedback({ answerId, action, source, canRate, canFlag, mine = null, openFlagNote = null, compact = false, posted }: Props) {
  const rateFetcher = useFetcher<Result>();
  const flagFetcher = useFetcher<Result>();
  const rate = {
    Form: rateFetcher.Form,
    formData: rateFetcher.formData,
    data: rateFetcher.data ?? (posted?.intent === "rate" ? posted : undefined),
  };
  const flag = {
    Form: flagFetcher.Form,
    state: flagFetcher.state,
    data: flagFetcher.data ?? (posted?.intent === "flag" ? posted : undefined),
  };
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [hydrated, setHydrated] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => setHydrated(true), []);

  const rated = rate.data?.ok && rate.data.ratings ? rate.data.ratings.mine : mine;
  const pendingHelpful = rate.formData ? rate.formData.get("helpful") === "yes" : null;
  const current = pendingHelpful ?? rated;
  const flagged = flag.data?.ok ? flag.data.message : null;
  const flagErrors = flag.data && !flag.data.ok ? flag.data.errors : {};
  useEffect(() => {
    if (flag.data?.ok) {
      formRef.current?.reset();
      setOpen(false);
      setReason("");
    }
  }, [flag.data]);

  if (!canRate && !canFlag) return null;
  const hidden = (
    <>
      <CsrfInput />
      <input type="hidden" name="answerId" value={answerId} />
      <input type="hidden" name="source" value={source} />
    </>
  );
  // Without JavaScript the flag form is always shown; with it, it opens on "Flag a problem".
  const showFlagForm = canFlag && !openFlagNote && !flagged && (compact ? hydrated && open : true);
  const showDuplicate = !hydrated || reason === "duplicate";
  const flagForm = (
    <flag.Form method="post" action={action} ref={formRef} className="flag-form" id={`${id}-flag`} aria-label="Flag a problem with this answer">
      {hidden}
      <input type="hidden" name="intent" value="flag" />
      <label>
        What is wrong?
        <select name="reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={flagErrors.reason ? true : undefined} required>
          <option value="" disabled>
            Choose…
          </option>
          {READER_REASONS.map((r) => (
            <option key={r} value={r}>
              {FLAG_REASON_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <FieldError id={`${id}-reason-error`} errors={flagErrors.reason} />
      {showDuplicate ? (
        <>
          <label>
            Duplicate of {hydrated ? null : <span className="muted">(when the reason is “duplicate”)</span>}
            <input name="duplicateOf" placeholder="Paste the other answer's address" aria-invalid={flagErrors.duplicateOf ? true : undefined} />
          </label>
          <FieldError id={`${id}-dup-error`} errors={flagErrors.duplicateOf} />
        </>
      ) : null}
      <label>
        Tell the owner what to change
        <textarea
          name="comment"
          rows={compact ? 2 : 3}
          maxLength={2000}
          aria-invalid={flagErrors.comment ? true : undefined}
          placeholder="e.g. The refund window changed to 60 days in March."
        />
      </label>
      <FieldError id={`${id}-comment-error`} errors={flagErrors.comment} />
      <FieldError id={`${id}-form-error`} errors={flagErrors.form} role="alert" />
      <div className="actions">
        <button type="submit" className="primary" disabled={flag.state !== "idle"}>
          {flag.state !== "idle" ? "Sending…" : "Send to the owner"}
        </button>
        {compact && hydrated ? (
          <button type="button" className="flag-toggle" onClick={() => setOpen(false)}>
            Cancel
          </button>
        ) : null}
      </div>
    </flag.Form>
  );
  return (
    <div className={compact ? "answer-feedback compact" : "answer-feedback"}>
      <div className="feedback-row">
        {canRate ? (
          <rate.Form method="post" action={action} className="rate-form" aria-label="Rate this answer">
            {hidden}
            <input type="hidden" name="intent" value="rate" />
            <span className="muted">{compact ? "Right answer?" : "Did this answer help?"}</span>
            {/* Compact (search results, the 360 px panel): "Yes" / "No" beside the question, same accessible names. */}
            <button
              type="submit"
              name="helpful"
              value="yes"
              aria-pressed={current === true}
              className="chip-button"
              aria-label={compact ? "Helpful" : undefined}
            >
              <Icon name="thumbUp" /> {compact ? "Yes" : "Helpful"}
            </button>
            <button
              type="submit"
              name="helpful"
              value="no"
              aria-pressed={current === false}
              className="chip-button"
              aria-label={compact ? "Not helpful" : undefined}
            >
              <Icon name="thumbDown" /> {compact ? "No" : "Not helpful"}
            </button>
          </rate.Form>
        ) : null}
        {canFlag && compact && !openFlagNote && !flagged ? (
          hydrated ? (
            <button type="button" className="flag-toggle" aria-expanded={open} aria-controls={`${id}-flag`} onClick={() => setOpen((o) => !o)}>
              <Icon name="flag" /> Flag a problem
            </button>
          ) : (
            <a href={`/answers/${answerId}#flag`} className="flag-toggle">
              <Icon name="flag" /> Flag a problem
            </a>
          )
        ) : null}
      </div>
      <p role="status" aria-live="polite" className={rate.data && !rate.data.ok ? "field-error" : "muted feedback-status"}>
        {rate.data ? (rate.data.ok ? rate.data.message : Object.values(rate.data.errors).flat().join(" ")) : ""}
      </p>
      {openFlagNote ? <p className="muted">{openFlagNote}</p> : null}
      {flagged ? (
        <p className="notice success" role="status">
          {flagged}
        </p>
      ) : null}
      {showFlagForm ? (
        compact ? (
          flagForm
        ) : (
          // On the answer page the form folds away; <details> opens without JavaScript, and on #flag.
          <details className="flag-details" id="flag" open={Object.keys(flagErrors).length > 0 || undefined}>
            <summary>
              <Icon name="flag" /> Flag a problem
            </summary>
            {flagForm}
          </details>
        )
      ) : null}
    </div>
  );
}
