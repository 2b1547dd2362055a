import { assign, initialTransition, setup, transition, type SnapshotFrom } from "xstate";
import { can, type Role } from "../app/auth/policy";

/**
 * The life of one answer version, as one pure state machine: no I/O, no clock, no database.
 * Time arrives in each event (`at`), the actor too; the service persists the snapshot and runs
 * the named side effects the machine hands back. Bump MACHINE_VERSION when a persisted snapshot
 * of the previous definition would no longer restore, and add its migration to MIGRATIONS.
 *
 *   draft ─SUBMIT→ in_review ─APPROVE (quorum)→ in_certification ─CERTIFY→ certified
 *              ↑        │ └REQUEST_CHANGES→ changes_requested ─RESUBMIT┘      │  ↑ REVERIFY
 *              │        └REJECT→ rejected (final)                              ↓  │
 *   WITHDRAW from draft / in_review / changes_requested → withdrawn (final)   reverification_due
 *   certified | reverification_due ─ARCHIVE→ archived ─RESTORE→ certified
 *   certified | reverification_due | archived ─SUPERSEDE→ superseded (final)
 */
export const MACHINE_VERSION = 1;

export const APPROVAL_STATES = [
  "draft",
  "in_review",
  "changes_requested",
  "in_certification",
  "certified",
  "reverification_due",
  "archived",
  "rejected",
  "withdrawn",
  "superseded",
] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export interface WorkflowActor {
  id: string;
  roles: Role[];
  /** Topics in which the actor is an expert reviewer. */
  expertTopicIds: string[];
}

export interface Approval {
  userId: string;
  at: string;
  comment?: string;
}

export interface ApprovalInput {
  authorId: string;
  topicIds: string[];
  /** Distinct expert approvals needed before certification (the strictest topic's). */
  requiredApprovals: number;
}

export interface ApprovalContext extends ApprovalInput {
  /** Approvals of the current review round (a request for changes starts a new round). */
  approvals: Approval[];
  certifiedBy?: string;
  certifiedAt?: string;
  ownerId?: string;
  reverifyIntervalDays?: number;
  reverifyAt?: string;
  reverifiedBy?: string;
  reverifiedAt?: string;
  rejectedReason?: string;
  duplicateOf?: string;
  archivedReason?: string;
}

type Base = { actor: WorkflowActor; at: string };
export type ApprovalEvent =
  | (Base & { type: "EDIT"; topicIds: string[]; requiredApprovals: number })
  | (Base & { type: "SUBMIT" })
  | (Base & { type: "RESUBMIT" })
  | (Base & { type: "WITHDRAW" })
  | (Base & { type: "APPROVE"; comment?: string })
  | (Base & { type: "REQUEST_CHANGES"; comment: string })
  | (Base & { type: "REJECT"; reason: string; duplicateOf?: string })
  | (Base & { type: "CERTIFY"; ownerId: string; reverifyIntervalDays: number })
  | (Base & { type: "REVERIFICATION_DUE" })
  /** Readers' flags say it is wrong: enough distinct people, or one expert saying "incorrect". */
  | (Base & { type: "FEEDBACK_REVERIFY"; distinctFlaggers: number; threshold: number; expertIncorrect: boolean })
  | (Base & { type: "REVERIFY"; comment?: string })
  | (Base & { type: "ARCHIVE"; reason: string })
  | (Base & { type: "RESTORE" })
  | (Base & { type: "SUPERSEDE" });
export type ApprovalEventType = ApprovalEvent["type"];

/** Events only the system sends (the re-verification timer, a newer certified version). */
export const SYSTEM_EVENTS: ApprovalEventType[] = ["REVERIFICATION_DUE", "FEEDBACK_REVERIFY", "SUPERSEDE"];
export const SYSTEM_ACTOR_ID = "system";

export type RefusalCode = "invalid_transition" | "forbidden" | "bad_request";
export interface Refusal {
  code: RefusalCode;
  reason: string;
}

// ---- the rules, each a named check: null when allowed, else the reason -----------------------

const MAX_COMMENT = 5000;
const forbidden = (reason: string): Refusal => ({ code: "forbidden", reason });
const badRequest = (reason: string): Refusal => ({ code: "bad_request", reason });
// Events arrive from parsed forms; a non-string must be refused, not crash on `.trim()`.
const blank = (s: unknown) => typeof s !== "string" || s.trim().length === 0;
const isAuthor = (c: ApprovalContext, e: ApprovalEvent) => e.actor.id === c.authorId;
const isExpertOfTopic = (c: ApprovalContext, e: ApprovalEvent) =>
  can(e.actor.roles, "answer.review") && c.topicIds.some((t) => e.actor.expertTopicIds.includes(t));

function authorOnly(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
  return isAuthor(c, e) ? null : forbidden("Only the author of this version can do that.");
}

function expertReviewer(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
  if (!can(e.actor.roles, "answer.review")) return forbidden("Your role cannot review answers.");
  if (isAuthor(c, e)) return forbidden("You wrote this version: another expert must review it.");
  if (!isExpertOfTopic(c, e)) return forbidden("Only experts of this answer's topic can review it.");
  return null;
}

function commentLength(comment: unknown): Refusal | null {
  if (comment === undefined) return null;
  if (typeof comment !== "string") return badRequest("The comment must be text.");
  return comment.length > MAX_COMMENT ? badRequest(`Keep the comment under ${MAX_COMMENT} characters.`) : null;
}

// An explicit offset keeps the date math independent of the server's time zone, and an
// unparseable time must be refused here rather than throw from inside the machine's date math.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
function validTime(e: ApprovalEvent): Refusal | null {
  return typeof e.at === "string" && ISO_TIME.test(e.at) && !Number.isNaN(Date.parse(e.at))
    ? null
    : badRequest("The event's time is not an ISO 8601 timestamp with a time zone.");
}

export const checks = {
  edit(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    if (e.type !== "EDIT") return null;
    if (!Number.isInteger(e.requiredApprovals) || e.requiredApprovals < 1) return badRequest("A topic needs at least one approval.");
    return authorOnly(c, e);
  },
  author: authorOnly,
  approve(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    const refusal = expertReviewer(c, e);
    if (refusal) return refusal;
    if (c.approvals.some((a) => a.userId === e.actor.id)) {
      return { code: "invalid_transition", reason: "You already approved this version; another expert's approval is needed." };
    }
    return commentLength(e.type === "APPROVE" ? e.comment : undefined);
  },
  requestChanges(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    const refusal = expertReviewer(c, e);
    if (refusal) return refusal;
    if (e.type !== "REQUEST_CHANGES" || blank(e.comment)) return badRequest("Say what should change: a comment is required when requesting changes.");
    return commentLength(e.comment);
  },
  /** A knowledge manager may send an approved version back instead of certifying it. */
  returnForChanges(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    if (!can(e.actor.roles, "answer.certify")) return forbidden("Only a knowledge manager can send an approved answer back.");
    if (isAuthor(c, e)) return forbidden("You wrote this version: someone else must decide on it.");
    if (e.type !== "REQUEST_CHANGES" || blank(e.comment)) return badRequest("Say what should change: a comment is required when requesting changes.");
    return commentLength(e.comment);
  },
  reject(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    const refusal = expertReviewer(c, e);
    if (refusal) return refusal;
    if (e.type !== "REJECT" || blank(e.reason)) return badRequest("Give a reason: it is required when rejecting.");
    return commentLength(e.reason);
  },
  certify(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    if (!can(e.actor.roles, "answer.certify")) return forbidden("Only a knowledge manager can certify answers.");
    if (isAuthor(c, e)) return forbidden("You wrote this version: another knowledge manager must certify it.");
    // Separation of duties: one person holding both roles must not be both the review and the certification.
    if (c.approvals.some((a) => a.userId === e.actor.id)) {
      return forbidden("You approved this version as an expert: another knowledge manager must certify it.");
    }
    if (e.type !== "CERTIFY" || blank(e.ownerId)) return badRequest("Choose the answer's owner.");
    if (!Number.isInteger(e.reverifyIntervalDays) || e.reverifyIntervalDays < 1 || e.reverifyIntervalDays > 3650) {
      return badRequest("The re-verification interval is a whole number of days from 1 to 3650.");
    }
    return null;
  },
  reverify(c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    if (!can(e.actor.roles, "answer.reverify")) return forbidden("Your role cannot re-verify answers.");
    if (!isExpertOfTopic(c, e) && !can(e.actor.roles, "answer.certify")) return forbidden("Only experts of this answer's topic or a knowledge manager can re-verify it.");
    return commentLength(e.type === "REVERIFY" ? e.comment : undefined);
  },
  archive(_c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    if (!can(e.actor.roles, "answer.archive")) return forbidden("Only a knowledge manager can archive answers.");
    if (e.type !== "ARCHIVE" || blank(e.reason)) return badRequest("Give a reason: it is required when archiving.");
    return commentLength(e.reason);
  },
  restore(_c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    return can(e.actor.roles, "answer.archive") ? null : forbidden("Only a knowledge manager can restore archived answers.");
  },
  system(_c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    return e.actor.id === SYSTEM_ACTOR_ID ? null : forbidden("Only Vetted itself does that.");
  },
  feedbackThreshold(_c: ApprovalContext, e: ApprovalEvent): Refusal | null {
    if (e.actor.id !== SYSTEM_ACTOR_ID) return forbidden("Only Vetted itself does that, when readers' flags cross the topic's threshold.");
    if (e.type !== "FEEDBACK_REVERIFY") return badRequest("Not a feedback event.");
    if (e.expertIncorrect === true) return null;
    if (!Number.isInteger(e.threshold) || e.threshold < 1 || !Number.isInteger(e.distinctFlaggers)) {
      return badRequest("The flag threshold is a whole number of people from 1.");
    }
    return e.distinctFlaggers >= e.threshold
      ? null
      : forbidden(`${e.distinctFlaggers} of the ${e.threshold} people needed have flagged this answer: it stays certified.`);
  },
} satisfies Record<string, (c: ApprovalContext, e: ApprovalEvent) => Refusal | null>;
type CheckName = keyof typeof checks;

/** The full rule for an event: a usable time, then the event's own check. */
export function check(name: CheckName, context: ApprovalContext, event: ApprovalEvent): Refusal | null {
  return validTime(event) ?? checks[name](context, event);
}

const ok = (name: CheckName) => ({ context, event }: { context: ApprovalContext; event: ApprovalEvent }) =>
  check(name, context, event) === null;

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

// ---- the machine --------------------------------------------------------------------------

export const approvalMachine = setup({
  types: {
    context: {} as ApprovalContext,
    events: {} as ApprovalEvent,
    input: {} as ApprovalInput,
  },
  guards: {
    edit: ok("edit"),
    author: ok("author"),
    approve: ok("approve"),
    approveReachesQuorum: ({ context, event }) =>
      check("approve", context, event) === null && context.approvals.length + 1 >= context.requiredApprovals,
    requestChanges: ok("requestChanges"),
    returnForChanges: ok("returnForChanges"),
    reject: ok("reject"),
    certify: ok("certify"),
    reverify: ok("reverify"),
    archive: ok("archive"),
    restore: ok("restore"),
    system: ok("system"),
    feedbackThreshold: ok("feedbackThreshold"),
  },
  actions: {
    // Side effects are named here and run by the service after the transaction commits or
    // inside it; transition() returns them as data and never executes them.
    notifyReviewers: () => {},
    notifyCertifiers: () => {},
    notifyAuthor: () => {},
    notifyOwner: () => {},
    indexAnswer: () => {},
    removeFromIndex: () => {},
    supersedePrevious: () => {},
    applyEdit: assign(({ context, event }) =>
      event.type === "EDIT" ? { topicIds: event.topicIds, requiredApprovals: event.requiredApprovals } : context,
    ),
    recordApproval: assign({
      approvals: ({ context, event }) => [
        ...context.approvals,
        { userId: event.actor.id, at: event.at, ...(event.type === "APPROVE" && event.comment ? { comment: event.comment } : {}) },
      ],
    }),
    startNewRound: assign({ approvals: () => [] }),
    recordRejection: assign(({ event }) =>
      event.type === "REJECT" ? { rejectedReason: event.reason, ...(event.duplicateOf ? { duplicateOf: event.duplicateOf } : {}) } : {},
    ),
    recordCertification: assign(({ event }) =>
      event.type === "CERTIFY"
        ? {
            certifiedBy: event.actor.id,
            certifiedAt: event.at,
            ownerId: event.ownerId,
            reverifyIntervalDays: event.reverifyIntervalDays,
            reverifyAt: addDays(event.at, event.reverifyIntervalDays),
          }
        : {},
    ),
    recordReverification: assign(({ context, event }) => ({
      reverifiedBy: event.actor.id,
      reverifiedAt: event.at,
      reverifyAt: addDays(event.at, context.reverifyIntervalDays ?? 180),
    })),
    // Due at once: the date readers see is the day the flags crossed the line.
    recordFeedbackDue: assign(({ event }) => (event.type === "FEEDBACK_REVERIFY" ? { reverifyAt: event.at } : {})),
    recordArchive: assign(({ event }) => (event.type === "ARCHIVE" ? { archivedReason: event.reason } : {})),
  },
}).createMachine({
  id: "approval",
  context: ({ input }) => ({ ...input, approvals: [] }),
  initial: "draft",
  states: {
    draft: {
      on: {
        EDIT: { guard: "edit", actions: "applyEdit" },
        SUBMIT: { guard: "author", target: "in_review", actions: "notifyReviewers" },
        WITHDRAW: { guard: "author", target: "withdrawn" },
      },
    },
    in_review: {
      on: {
        APPROVE: [
          { guard: "approveReachesQuorum", target: "in_certification", actions: ["recordApproval", "notifyCertifiers"] },
          { guard: "approve", actions: "recordApproval" },
        ],
        REQUEST_CHANGES: { guard: "requestChanges", target: "changes_requested", actions: ["startNewRound", "notifyAuthor"] },
        REJECT: { guard: "reject", target: "rejected", actions: ["recordRejection", "notifyAuthor"] },
        WITHDRAW: { guard: "author", target: "withdrawn" },
      },
    },
    changes_requested: {
      on: {
        EDIT: { guard: "edit", actions: "applyEdit" },
        RESUBMIT: { guard: "author", target: "in_review", actions: "notifyReviewers" },
        WITHDRAW: { guard: "author", target: "withdrawn" },
      },
    },
    in_certification: {
      on: {
        CERTIFY: {
          guard: "certify",
          target: "certified",
          actions: ["recordCertification", "supersedePrevious", "indexAnswer", "notifyAuthor"],
        },
        REQUEST_CHANGES: { guard: "returnForChanges", target: "changes_requested", actions: ["startNewRound", "notifyAuthor"] },
      },
    },
    certified: {
      on: {
        REVERIFICATION_DUE: { guard: "system", target: "reverification_due", actions: ["notifyOwner", "indexAnswer"] },
        FEEDBACK_REVERIFY: { guard: "feedbackThreshold", target: "reverification_due", actions: ["recordFeedbackDue", "notifyOwner", "indexAnswer"] },
        REVERIFY: { guard: "reverify", target: "certified", reenter: true, actions: ["recordReverification", "indexAnswer"] },
        ARCHIVE: { guard: "archive", target: "archived", actions: ["recordArchive", "removeFromIndex"] },
        SUPERSEDE: { guard: "system", target: "superseded" },
      },
    },
    reverification_due: {
      on: {
        REVERIFY: { guard: "reverify", target: "certified", actions: ["recordReverification", "indexAnswer"] },
        ARCHIVE: { guard: "archive", target: "archived", actions: ["recordArchive", "removeFromIndex"] },
        SUPERSEDE: { guard: "system", target: "superseded" },
      },
    },
    archived: {
      on: {
        RESTORE: { guard: "restore", target: "certified", actions: ["recordReverification", "indexAnswer"] },
        SUPERSEDE: { guard: "system", target: "superseded" },
      },
    },
    rejected: { type: "final" },
    withdrawn: { type: "final" },
    superseded: { type: "final" },
  },
});

export type ApprovalSnapshot = SnapshotFrom<typeof approvalMachine>;

/** Which check decides each event in each state (mirrors the guards above, for the reasons). */
const CHECK_FOR: Partial<Record<ApprovalState, Partial<Record<ApprovalEventType, CheckName>>>> = {
  draft: { EDIT: "edit", SUBMIT: "author", WITHDRAW: "author" },
  in_review: { APPROVE: "approve", REQUEST_CHANGES: "requestChanges", REJECT: "reject", WITHDRAW: "author" },
  changes_requested: { EDIT: "edit", RESUBMIT: "author", WITHDRAW: "author" },
  in_certification: { CERTIFY: "certify", REQUEST_CHANGES: "returnForChanges" },
  certified: { REVERIFICATION_DUE: "system", FEEDBACK_REVERIFY: "feedbackThreshold", REVERIFY: "reverify", ARCHIVE: "archive", SUPERSEDE: "system" },
  reverification_due: { REVERIFY: "reverify", ARCHIVE: "archive", SUPERSEDE: "system" },
  archived: { RESTORE: "restore", SUPERSEDE: "system" },
};

const STATE_WORDS: Record<ApprovalState, string> = {
  draft: "a draft",
  in_review: "a version in review",
  changes_requested: "a version sent back for changes",
  in_certification: "a version awaiting certification",
  certified: "a certified version",
  reverification_due: "a version due for re-verification",
  archived: "an archived version",
  rejected: "a rejected version",
  withdrawn: "a withdrawn version",
  superseded: "a superseded version",
};
const EVENT_WORDS: Record<ApprovalEventType, string> = {
  EDIT: "edit",
  SUBMIT: "submit",
  RESUBMIT: "resubmit",
  WITHDRAW: "withdraw",
  APPROVE: "approve",
  REQUEST_CHANGES: "request changes on",
  REJECT: "reject",
  CERTIFY: "certify",
  REVERIFICATION_DUE: "mark as due for re-verification",
  FEEDBACK_REVERIFY: "send to re-verification because of readers' flags",
  REVERIFY: "re-verify",
  ARCHIVE: "archive",
  RESTORE: "restore",
  SUPERSEDE: "supersede",
};

export function stateOf(snapshot: ApprovalSnapshot): ApprovalState {
  return snapshot.value as ApprovalState;
}

/** The events a state accepts at all, whoever sends them. */
export function eventsAcceptedIn(state: ApprovalState): ApprovalEventType[] {
  return Object.keys(CHECK_FOR[state] ?? {}) as ApprovalEventType[];
}

export function initialSnapshot(input: ApprovalInput): ApprovalSnapshot {
  return initialTransition(approvalMachine, input)[0];
}

export type Decision =
  | { ok: true; snapshot: ApprovalSnapshot; actions: string[] }
  | { ok: false; code: RefusalCode; reason: string };

/**
 * Asks the machine whether `event` may happen now and what follows: the next snapshot and the
 * names of the side effects to run. A refusal says why, in words for the person who tried.
 */
export function decide(snapshot: ApprovalSnapshot, event: ApprovalEvent): Decision {
  const state = stateOf(snapshot);
  const checkName = CHECK_FOR[state]?.[event.type];
  if (!checkName) {
    return { ok: false, code: "invalid_transition", reason: `You cannot ${EVENT_WORDS[event.type]} ${STATE_WORDS[state]}.` };
  }
  const refusal = check(checkName, snapshot.context, event);
  if (refusal) return { ok: false, ...refusal };
  if (!snapshot.can(event)) {
    return { ok: false, code: "invalid_transition", reason: `You cannot ${EVENT_WORDS[event.type]} ${STATE_WORDS[state]}.` };
  }
  const [next, actions] = transition(approvalMachine, snapshot, event);
  return { ok: true, snapshot: next, actions: actions.map((a) => a.type).filter((t) => !t.startsWith("xstate.")) };
}

/** A stand-in event of each type, with valid details, so only roles and duties decide `can`. */
function sampleEvent(type: ApprovalEventType, actor: WorkflowActor, c: ApprovalContext): ApprovalEvent {
  const at = "2000-01-01T00:00:00.000Z";
  switch (type) {
    case "EDIT":
      return { type, actor, at, topicIds: c.topicIds, requiredApprovals: c.requiredApprovals };
    case "REQUEST_CHANGES":
      return { type, actor, at, comment: "comment" };
    case "REJECT":
    case "ARCHIVE":
      return { type, actor, at, reason: "reason" };
    case "CERTIFY":
      return { type, actor, at, ownerId: actor.id, reverifyIntervalDays: c.reverifyIntervalDays ?? 180 };
    default:
      return { type, actor, at } as ApprovalEvent;
  }
}

/** The events this person may send now: the UI shows exactly these buttons. */
export function allowedEvents(snapshot: ApprovalSnapshot, actor: WorkflowActor): ApprovalEventType[] {
  return eventsAcceptedIn(stateOf(snapshot)).filter(
    (type) => !SYSTEM_EVENTS.includes(type) && snapshot.can(sampleEvent(type, actor, snapshot.context)),
  );
}

// ---- persistence -----------------------------------------------------------------------------

export interface PersistedApproval {
  machineVersion: number;
  snapshot: unknown;
}

export class SnapshotVersionError extends Error {
  override name = "SnapshotVersionError";
}

/** Migrations from older machine versions, keyed by the version they upgrade from. */
const MIGRATIONS: Record<number, (snapshot: { value: string; context: ApprovalContext }) => { value: string; context: ApprovalContext }> = {};

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function contextProblem(c: Partial<Record<keyof ApprovalContext, unknown>>): string | null {
  if (typeof c.authorId !== "string") return "has no author";
  if (!isStringArray(c.topicIds)) return "has no list of topics";
  if (typeof c.requiredApprovals !== "number" || !Number.isInteger(c.requiredApprovals)) return "has no approval quorum";
  const approvals = c.approvals;
  if (!Array.isArray(approvals) || !approvals.every((a) => a && typeof a === "object" && typeof (a as Approval).userId === "string" && typeof (a as Approval).at === "string")) {
    return "has a malformed list of approvals";
  }
  return null;
}

export function persistSnapshot(snapshot: ApprovalSnapshot): PersistedApproval {
  return { machineVersion: MACHINE_VERSION, snapshot: approvalMachine.getPersistedSnapshot(snapshot) };
}

/**
 * Restores a persisted snapshot synchronously (resolveState, no actor), so a bad one throws a
 * SnapshotVersionError here instead of erroring asynchronously inside an actor.
 */
export function restoreSnapshot(persisted: PersistedApproval): ApprovalSnapshot {
  if (!persisted || typeof persisted !== "object" || !Number.isInteger(persisted.machineVersion)) {
    throw new SnapshotVersionError("the stored workflow snapshot has no machine version.");
  }
  let version = persisted.machineVersion;
  const raw = persisted.snapshot as { value?: unknown; context?: unknown } | null;
  if (!raw || typeof raw !== "object" || typeof raw.value !== "string" || !raw.context || typeof raw.context !== "object") {
    throw new SnapshotVersionError("the stored workflow snapshot is not one this version of Vetted wrote.");
  }
  let state = { value: raw.value, context: raw.context as ApprovalContext };
  while (version < MACHINE_VERSION) {
    const migrate = MIGRATIONS[version];
    if (!migrate) throw new SnapshotVersionError(`no migration from workflow version ${version} to ${MACHINE_VERSION}.`);
    state = migrate(state);
    version++;
  }
  if (version !== MACHINE_VERSION) {
    throw new SnapshotVersionError(`it was saved by workflow version ${persisted.machineVersion}, newer than this Vetted (${MACHINE_VERSION}).`);
  }
  if (!(APPROVAL_STATES as readonly string[]).includes(state.value)) {
    throw new SnapshotVersionError(`it names a state ("${state.value}") this workflow does not have.`);
  }
  // The checks read these on every event: a damaged context must fail here, not mid-decision.
  const problem = contextProblem(state.context);
  if (problem) throw new SnapshotVersionError(`its context ${problem}.`);
  return approvalMachine.resolveState({ value: state.value, context: state.context });
}
