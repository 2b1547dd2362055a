import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { JSONContent } from "@tiptap/core";
import { RichTextEditor } from "../editor/rich-text-editor";
import { CsrfInput } from "./csrf-input";
import { FieldError } from "./field-error";
import { formatTime } from "./format";
import { useLeaveGuard } from "./leave-guard";

export const SHORT_MAX = 280;

export interface AnswerFormValues {
  question: string;
  alternatives: string[];
  shortAnswer: string;
  body: JSONContent | null;
  topicIds: string[];
  tags: string[];
  audience: "internal" | "public";
}

type SaveResult = { ok: true; lockVersion: number; savedAt: string; answerId?: string } | { ok: false; errors: Record<string, string[]> };

/**
 * The answer editor: question, phrasings, the short (social) answer with a live counter, the
 * full answer in Tiptap, topics, tags and audience. It posts as a plain form, and with
 * JavaScript it also saves itself a few seconds after each change and says when it last did.
 */
export function AnswerForm({
  values,
  topics,
  errors = {},
  lockVersion,
  autosaveAction,
  submitLabel,
  onChangeQuestion,
  hidden,
}: {
  values: AnswerFormValues;
  topics: { id: string; name: string }[];
  errors?: Record<string, string[]>;
  /** Present when editing an existing draft. */
  lockVersion?: number;
  /** Where autosave posts: the draft's edit action, or /answers/new, whose first autosave creates the draft. */
  autosaveAction?: string;
  submitLabel: string;
  onChangeQuestion?: (question: string) => void;
  /** Extra fields posted with the form (e.g. the answer request a draft answers). */
  hidden?: Record<string, string> | undefined;
}) {
  const [shortAnswer, setShortAnswer] = useState(values.shortAnswer);
  const [lock, setLock] = useState(lockVersion);
  const [saveTo, setSaveTo] = useState(autosaveAction);
  // Changes not on the server yet: typed since the last autosave, or being saved now.
  const [unsaved, setUnsaved] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const autosave = useFetcher<SaveResult>();

  // Counts changes, so a save put off (no question yet) is tried again after the next one.
  const [changes, setChanges] = useState(0);
  const markDirty = useCallback(() => {
    setDirty(true);
    setUnsaved(true);
    setChanges((n) => n + 1);
  }, []);
  const guard = useLeaveGuard(unsaved);
  const [needsQuestion, setNeedsQuestion] = useState(false);

  useEffect(() => {
    if (!dirty || !saveTo || autosave.state !== "idle") return;
    const timer = setTimeout(() => {
      // Save draft is on its way with this text: an autosave now would race it for the same lock.
      if (!formRef.current || submitting.current) return;
      const data = new FormData(formRef.current);
      // A new draft needs its question first; until then the leave guard keeps the text safe.
      if (String(data.get("question") ?? "").trim().length < 3) {
        setNeedsQuestion(true);
        return;
      }
      setNeedsQuestion(false);
      data.set("intent", "autosave");
      setDirty(false);
      autosave.submit(data, { method: "post", action: saveTo });
    }, lock === undefined ? 1000 : 3000);
    return () => clearTimeout(timer);
  }, [dirty, saveTo, lock, autosave, needsQuestion ? changes : 0]);

  useEffect(() => {
    const result = autosave.data;
    if (!result) return;
    if (result.ok) {
      setLock(result.lockVersion);
      setSavedAt(result.savedAt);
      if (result.answerId) {
        // The first autosave created the draft: from now on this page edits it, and its address says so.
        const editPath = `/answers/${result.answerId}/edit`;
        setSaveTo(editPath);
        window.history.replaceState(window.history.state, "", editPath);
      }
    }
  }, [autosave.data]);

  // Save draft pressed while an autosave is on its way. Posting now would either create a
  // duplicate draft (the first autosave is creating it) or carry the lock the autosave is about to
  // replace, and one of the two would be refused as a conflict. So the save waits for the autosave
  // and then posts, with its new lock, to the draft's edit action.
  const pendingSubmit = useRef(false);
  const submitting = useRef(false);
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    if (autosave.state !== "idle") {
      event.preventDefault();
      pendingSubmit.current = true;
      return;
    }
    submitting.current = true;
    guard.onSubmit();
  };
  const creating = autosave.data?.ok === true && autosave.data.answerId !== undefined && saveTo === autosaveAction;
  useEffect(() => {
    if (!pendingSubmit.current || autosave.state !== "idle" || creating) return;
    pendingSubmit.current = false;
    formRef.current?.requestSubmit();
  }, [autosave.state, creating, lock]);

  useEffect(() => {
    if (autosave.state === "idle" && !dirty && autosave.data?.ok) setUnsaved(false);
  }, [autosave.state, autosave.data, dirty]);

  const saveError = autosave.data && !autosave.data.ok ? Object.values(autosave.data.errors).flat().join(" ") : null;
  const over = shortAnswer.length > SHORT_MAX;

  return (
    <form method="post" ref={formRef} onChange={markDirty} onSubmit={onSubmit} action={saveTo !== autosaveAction ? saveTo : undefined} className="answer-form" noValidate>
      <CsrfInput />
      {lock !== undefined ? <input type="hidden" name="lockVersion" value={lock} /> : null}
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FieldError id="form-error" errors={errors.form} role="alert" />
      <label htmlFor="question">Customer question</label>
      <input
        id="question"
        name="question"
        defaultValue={values.question}
        required
        maxLength={300}
        aria-describedby="question-error"
        onInput={(e) => onChangeQuestion?.(e.currentTarget.value)}
        autoComplete="off"
      />
      <FieldError id="question-error" errors={errors.question} />
      <label htmlFor="alternatives">Other ways customers ask it (one per line)</label>
      <textarea id="alternatives" name="alternatives" rows={3} defaultValue={values.alternatives.join("\n")} />
      <FieldError id="alternatives-error" errors={errors.alternatives} />
      <label htmlFor="shortAnswer">Short answer (fits a social reply)</label>
      <textarea
        id="shortAnswer"
        name="shortAnswer"
        rows={3}
        value={shortAnswer}
        onChange={(e) => setShortAnswer(e.target.value)}
        aria-describedby="shortAnswer-count shortAnswer-error"
      />
      <p id="shortAnswer-count" className={over ? "counter over" : "counter"} aria-live="polite">
        {shortAnswer.length} / {SHORT_MAX}
        {over ? ` — ${shortAnswer.length - SHORT_MAX} too many` : ""}
      </p>
      <FieldError id="shortAnswer-error" errors={errors.shortAnswer} />
      <RichTextEditor name="body" label="Full answer" initialContent={values.body ?? undefined} onChange={markDirty} describedBy="body-error" />
      <FieldError id="body-error" errors={errors.body} />
      <fieldset>
        <legend>Topics</legend>
        {topics.map((t) => (
          <label key={t.id} className="check">
            <input type="checkbox" name="topicIds" value={t.id} defaultChecked={values.topicIds.includes(t.id)} /> {t.name}
          </label>
        ))}
      </fieldset>
      <FieldError id="topicIds-error" errors={errors.topicIds} />
      <label htmlFor="tags">Product tags (comma separated)</label>
      <input id="tags" name="tags" defaultValue={values.tags.join(", ")} />
      <FieldError id="tags-error" errors={errors.tags} />
      <fieldset>
        <legend>Audience</legend>
        <label className="check">
          <input type="radio" name="audience" value="internal" defaultChecked={values.audience === "internal"} /> Internal (agents only)
        </label>
        <label className="check">
          <input type="radio" name="audience" value="public" defaultChecked={values.audience === "public"} /> Public (also on the FAQ site)
        </label>
      </fieldset>
      <div className="actions">
        <button type="submit" name="intent" value="save" className="primary">
          {submitLabel}
        </button>
        {saveTo ? (
          <span className="save-state" role="status" aria-live="polite">
            {autosave.state !== "idle"
              ? "Saving…"
              : saveError
                ? `Not saved: ${saveError}`
                : needsQuestion && lock === undefined
                  ? "Not saved yet: write the customer question first"
                  : dirty
                    ? "Unsaved changes"
                    : savedAt
                      ? `Saved at ${formatTime(savedAt)}`
                      : lock === undefined
                        ? "Saves itself once you start writing"
                        : "All changes saved"}
          </span>
        ) : null}
      </div>
    </form>
  );
}
