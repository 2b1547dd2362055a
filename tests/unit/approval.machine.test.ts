import { getShortestPaths, getSimplePaths } from "@xstate/graph";
import { describe, expect, it } from "vitest";
import {
  allowedEvents,
  APPROVAL_STATES,
  approvalMachine,
  decide,
  initialSnapshot,
  MACHINE_VERSION,
  persistSnapshot,
  restoreSnapshot,
  SnapshotVersionError,
  type ApprovalContext,
  type ApprovalEvent,
  type ApprovalEventType,
  type ApprovalState,
  type WorkflowActor,
} from "../../workflows/approval.machine";

const TOPIC = "topic-1";
const author: WorkflowActor = { id: "author", roles: ["employee"], expertTopicIds: [] };
const expert: WorkflowActor = { id: "expert-1", roles: ["expert"], expertTopicIds: [TOPIC] };
const expert2: WorkflowActor = { id: "expert-2", roles: ["expert"], expertTopicIds: [TOPIC] };
const outsider: WorkflowActor = { id: "expert-3", roles: ["expert"], expertTopicIds: ["other-topic"] };
const km: WorkflowActor = { id: "km", roles: ["knowledge_manager"], expertTopicIds: [] };
const agent: WorkflowActor = { id: "agent", roles: ["agent"], expertTopicIds: [] };
const system: WorkflowActor = { id: "system", roles: [], expertTopicIds: [] };
const at = "2026-05-01T12:00:00.000Z";

const baseContext: ApprovalContext = { authorId: author.id, topicIds: [TOPIC], requiredApprovals: 1, approvals: [] };

function snapshotIn(state: ApprovalState, context: Partial<ApprovalContext> = {}) {
  return approvalMachine.resolveState({ value: state, context: { ...baseContext, reverifyIntervalDays: 30, ...context } });
}

/** The event of each type, sent by the person who would be allowed to send it, if anyone is. */
function rightEvent(type: ApprovalEventType, state: ApprovalState): ApprovalEvent {
  switch (type) {
    case "EDIT":
      return { type, actor: author, at, topicIds: [TOPIC], requiredApprovals: 1 };
    case "SUBMIT":
    case "RESUBMIT":
    case "WITHDRAW":
      return { type, actor: author, at };
    case "APPROVE":
      return { type, actor: expert, at };
    case "REQUEST_CHANGES":
      return { type, actor: state === "in_certification" ? km : expert, at, comment: "Please add the delivery time." };
    case "REJECT":
      return { type, actor: expert, at, reason: "Duplicate", duplicateOf: "answer-9" };
    case "CERTIFY":
      return { type, actor: km, at, ownerId: author.id, reverifyIntervalDays: 30 };
    case "REVERIFY":
      return { type, actor: expert, at };
    case "ARCHIVE":
      return { type, actor: km, at, reason: "Product discontinued" };
    case "RESTORE":
      return { type, actor: km, at };
    case "REVERIFICATION_DUE":
    case "SUPERSEDE":
      return { type, actor: system, at };
    case "FEEDBACK_REVERIFY":
      return { type, actor: system, at, distinctFlaggers: 3, threshold: 3, expertIncorrect: false };
  }
}

const EVENTS: ApprovalEventType[] = [
  "EDIT",
  "SUBMIT",
  "RESUBMIT",
  "WITHDRAW",
  "APPROVE",
  "REQUEST_CHANGES",
  "REJECT",
  "CERTIFY",
  "REVERIFICATION_DUE",
  "FEEDBACK_REVERIFY",
  "REVERIFY",
  "ARCHIVE",
  "RESTORE",
  "SUPERSEDE",
];

// state → event → where the right sender ends up (absent: the state refuses the event).
const TABLE: Record<ApprovalState, Partial<Record<ApprovalEventType, ApprovalState>>> = {
  draft: { EDIT: "draft", SUBMIT: "in_review", WITHDRAW: "withdrawn" },
  in_review: { APPROVE: "in_certification", REQUEST_CHANGES: "changes_requested", REJECT: "rejected", WITHDRAW: "withdrawn" },
  changes_requested: { EDIT: "changes_requested", RESUBMIT: "in_review", WITHDRAW: "withdrawn" },
  in_certification: { CERTIFY: "certified", REQUEST_CHANGES: "changes_requested" },
  certified: { REVERIFICATION_DUE: "reverification_due", FEEDBACK_REVERIFY: "reverification_due", REVERIFY: "certified", ARCHIVE: "archived", SUPERSEDE: "superseded" },
  reverification_due: { REVERIFY: "certified", ARCHIVE: "archived", SUPERSEDE: "superseded" },
  archived: { RESTORE: "certified", SUPERSEDE: "superseded" },
  rejected: {},
  withdrawn: {},
  superseded: {},
};

describe("every state × every event", () => {
  for (const state of APPROVAL_STATES) {
    for (const type of EVENTS) {
      const target = TABLE[state][type];
      it(`${state} + ${type} → ${target ?? "refused"}`, () => {
        const result = decide(snapshotIn(state), rightEvent(type, state));
        if (target) {
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.snapshot.value).toBe(target);
        } else {
          expect(result).toMatchObject({ ok: false, code: "invalid_transition" });
          if (!result.ok) expect(result.reason).toMatch(/^You cannot /);
        }
      });
    }
  }
});

describe("who may send what", () => {
  const refusals: [ApprovalState, ApprovalEvent, string, RegExp][] = [
    ["draft", { type: "SUBMIT", actor: expert, at }, "someone else submits the author's draft", /Only the author/],
    ["in_review", { type: "APPROVE", actor: { ...expert, id: author.id }, at }, "the author approves their own version", /You wrote this version/],
    ["in_review", { type: "APPROVE", actor: outsider, at }, "an expert of another topic approves", /Only experts of this answer's topic/],
    ["in_review", { type: "APPROVE", actor: agent, at }, "an agent approves", /Your role cannot review/],
    ["in_review", { type: "APPROVE", actor: km, at }, "a knowledge manager approves instead of an expert", /Your role cannot review/],
    ["in_certification", { type: "CERTIFY", actor: { ...km, id: author.id }, at, ownerId: "x", reverifyIntervalDays: 30 }, "the author certifies", /another knowledge manager/],
    ["in_certification", { type: "CERTIFY", actor: expert, at, ownerId: "x", reverifyIntervalDays: 30 }, "an expert certifies", /Only a knowledge manager can certify/],
    ["certified", { type: "ARCHIVE", actor: expert, at, reason: "old" }, "an expert archives", /Only a knowledge manager can archive/],
    ["archived", { type: "RESTORE", actor: expert, at }, "an expert restores", /Only a knowledge manager can restore/],
    ["certified", { type: "REVERIFY", actor: outsider, at }, "an expert of another topic re-verifies", /experts of this answer's topic/],
    ["certified", { type: "SUPERSEDE", actor: km, at }, "a person supersedes", /Only Vetted itself/],
    ["certified", { type: "REVERIFICATION_DUE", actor: km, at }, "a person marks it due", /Only Vetted itself/],
  ];
  for (const [state, event, what, reason] of refusals) {
    it(`forbids: ${what}`, () => {
      const result = decide(snapshotIn(state), event);
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  }

  const badRequests: [ApprovalState, ApprovalEvent, RegExp][] = [
    ["in_review", { type: "REQUEST_CHANGES", actor: expert, at, comment: "   " }, /a comment is required/],
    ["in_certification", { type: "REQUEST_CHANGES", actor: km, at, comment: "" }, /a comment is required/],
    ["in_review", { type: "REJECT", actor: expert, at, reason: "" }, /it is required when rejecting/],
    ["in_review", { type: "APPROVE", actor: expert, at, comment: "x".repeat(5001) }, /under 5000 characters/],
    ["in_certification", { type: "CERTIFY", actor: km, at, ownerId: "", reverifyIntervalDays: 30 }, /owner/],
    ["in_certification", { type: "CERTIFY", actor: km, at, ownerId: "o", reverifyIntervalDays: 0 }, /1 to 3650/],
    ["in_certification", { type: "CERTIFY", actor: km, at, ownerId: "o", reverifyIntervalDays: 2.5 }, /1 to 3650/],
    ["certified", { type: "ARCHIVE", actor: km, at, reason: "" }, /required when archiving/],
  ];
  for (const [state, event, reason] of badRequests) {
    it(`needs what it needs: ${event.type} in ${state} (${reason.source})`, () => {
      const result = decide(snapshotIn(state), event);
      expect(result).toMatchObject({ ok: false, code: "bad_request" });
      if (!result.ok) expect(result.reason).toMatch(reason);
    });
  }
});

describe("readers' flags send a certified answer to re-verification (FEEDBACK_REVERIFY)", () => {
  const flags = (distinctFlaggers: number, threshold: number, expertIncorrect = false): ApprovalEvent => ({
    type: "FEEDBACK_REVERIFY",
    actor: system,
    at: "2026-06-01T09:30:00.000Z",
    distinctFlaggers,
    threshold,
    expertIncorrect,
  });

  it("moves it when the topic's threshold of distinct people is met, due at once, and tells the owner", () => {
    const r = decide(snapshotIn("certified", { reverifyAt: "2027-01-01T00:00:00.000Z" }), flags(3, 3));
    expect(r.ok && r.snapshot.value).toBe("reverification_due");
    expect(r.ok && r.snapshot.context.reverifyAt).toBe("2026-06-01T09:30:00.000Z");
    expect(r.ok && r.actions).toEqual(["notifyOwner", "indexAnswer"]);
  });

  it("moves it on one expert's \"incorrect\" flag, whatever the count", () => {
    expect(decide(snapshotIn("certified"), flags(1, 3, true))).toMatchObject({ ok: true });
  });

  it("keeps it certified below the threshold, and says how far it is", () => {
    const r = decide(snapshotIn("certified"), flags(2, 3));
    expect(r).toMatchObject({ ok: false, code: "forbidden" });
    expect(!r.ok && r.reason).toMatch(/2 of the 3 people/);
  });

  it("is only Vetted's to send: a person cannot", () => {
    const r = decide(snapshotIn("certified"), { ...flags(5, 3), actor: km } as ApprovalEvent);
    expect(r).toMatchObject({ ok: false, code: "forbidden" });
    expect(!r.ok && r.reason).toMatch(/Only Vetted itself/);
    expect(allowedEvents(snapshotIn("certified"), km)).not.toContain("FEEDBACK_REVERIFY");
  });

  it("refuses a nonsense threshold", () => {
    for (const threshold of [0, -1, 1.5, Number.NaN]) {
      expect(decide(snapshotIn("certified"), flags(9, threshold))).toMatchObject({ ok: false, code: "bad_request" });
    }
  });

  it("does nothing to an answer already due, archived or superseded", () => {
    for (const state of ["reverification_due", "archived", "superseded", "draft"] as const) {
      expect(decide(snapshotIn(state), flags(9, 3))).toMatchObject({ ok: false, code: "invalid_transition" });
    }
  });
});

describe("the approval quorum", () => {
  it("needs two distinct experts when the topic asks for two; the same one counts once", () => {
    let s = snapshotIn("in_review", { requiredApprovals: 2 });
    const first = decide(s, { type: "APPROVE", actor: expert, at, comment: "Looks right" });
    expect(first.ok && first.snapshot.value).toBe("in_review");
    s = first.ok ? first.snapshot : s;
    expect(s.context.approvals).toEqual([{ userId: expert.id, at, comment: "Looks right" }]);
    const again = decide(s, { type: "APPROVE", actor: expert, at });
    expect(again).toMatchObject({ ok: false, code: "invalid_transition" });
    const second = decide(s, { type: "APPROVE", actor: expert2, at });
    expect(second.ok && second.snapshot.value).toBe("in_certification");
    expect(second.ok && second.actions).toContain("notifyCertifiers");
  });

  it("starts a new round after changes are requested", () => {
    const s = snapshotIn("in_review", { requiredApprovals: 2, approvals: [{ userId: expert2.id, at }] });
    const back = decide(s, { type: "REQUEST_CHANGES", actor: expert, at, comment: "Fix the price" });
    expect(back.ok && back.snapshot.context.approvals).toEqual([]);
  });
});

describe("separation of duties", () => {
  const expertAndKm: WorkflowActor = { id: "both", roles: ["expert", "knowledge_manager"], expertTopicIds: [TOPIC] };

  it("refuses certification by a person who approved the version as an expert", () => {
    const approved = decide(snapshotIn("in_review"), { type: "APPROVE", actor: expertAndKm, at });
    expect(approved.ok && approved.snapshot.value).toBe("in_certification");
    if (!approved.ok) return;
    const certify = decide(approved.snapshot, { type: "CERTIFY", actor: expertAndKm, at, ownerId: "owner", reverifyIntervalDays: 30 });
    expect(certify.ok).toBe(false);
    expect(!certify.ok && certify.reason).toMatch(/approved this version as an expert: another knowledge manager/);
    expect(allowedEvents(approved.snapshot, expertAndKm)).not.toContain("CERTIFY");
    // Another knowledge manager may.
    expect(decide(approved.snapshot, { type: "CERTIFY", actor: km, at, ownerId: "owner", reverifyIntervalDays: 30 }).ok).toBe(true);
  });
});

describe("dates and effects", () => {
  it("sets the re-verification date from the event's time, not a clock", () => {
    const r = decide(snapshotIn("in_certification"), { type: "CERTIFY", actor: km, at: "2026-01-31T08:00:00.000Z", ownerId: "owner", reverifyIntervalDays: 30 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.snapshot.context).toMatchObject({ certifiedBy: km.id, ownerId: "owner", reverifyAt: "2026-03-02T08:00:00.000Z" });
    expect(r.actions).toEqual(["supersedePrevious", "indexAnswer", "notifyAuthor"]);
    const again = decide(r.snapshot, { type: "REVERIFY", actor: expert, at: "2026-03-05T00:00:00.000Z" });
    expect(again.ok && again.snapshot.context.reverifyAt).toBe("2026-04-04T00:00:00.000Z");
  });

  it("hands side effects back as names and runs none of them", () => {
    const r = decide(snapshotIn("certified"), { type: "ARCHIVE", actor: km, at, reason: "Gone" });
    expect(r.ok && r.actions).toEqual(["removeFromIndex"]);
  });
});

describe("what the UI may offer", () => {
  it("lists exactly the events each person may send now", () => {
    expect(allowedEvents(snapshotIn("draft"), author)).toEqual(["EDIT", "SUBMIT", "WITHDRAW"]);
    expect(allowedEvents(snapshotIn("draft"), expert)).toEqual([]);
    expect(allowedEvents(snapshotIn("in_review"), expert)).toEqual(["APPROVE", "REQUEST_CHANGES", "REJECT"]);
    expect(allowedEvents(snapshotIn("in_review"), outsider)).toEqual([]);
    expect(allowedEvents(snapshotIn("in_review"), author)).toEqual(["WITHDRAW"]);
    expect(allowedEvents(snapshotIn("in_certification"), km)).toEqual(["CERTIFY", "REQUEST_CHANGES"]);
    expect(allowedEvents(snapshotIn("certified"), km)).toEqual(["REVERIFY", "ARCHIVE"]);
    expect(allowedEvents(snapshotIn("certified"), agent)).toEqual([]);
    expect(allowedEvents(snapshotIn("archived"), km)).toEqual(["RESTORE"]);
  });
});

describe("persisted snapshots", () => {
  it("round-trips through JSON", () => {
    const s = initialSnapshot({ authorId: author.id, topicIds: [TOPIC], requiredApprovals: 2 });
    const submitted = decide(s, { type: "SUBMIT", actor: author, at });
    if (!submitted.ok) throw new Error(submitted.reason);
    const persisted = JSON.parse(JSON.stringify(persistSnapshot(submitted.snapshot)));
    expect(persisted.machineVersion).toBe(MACHINE_VERSION);
    const restored = restoreSnapshot(persisted);
    expect(restored.value).toBe("in_review");
    expect(restored.context.requiredApprovals).toBe(2);
    expect(decide(restored, { type: "APPROVE", actor: expert, at }).ok).toBe(true);
  });

  it("refuses snapshots it cannot read, synchronously and with a clear error", () => {
    const good = persistSnapshot(initialSnapshot({ authorId: "a", topicIds: [], requiredApprovals: 1 }));
    expect(() => restoreSnapshot({ ...good, machineVersion: MACHINE_VERSION + 1 })).toThrow(SnapshotVersionError);
    expect(() => restoreSnapshot({ ...good, machineVersion: 0 })).toThrow(/no migration from workflow version 0/);
    expect(() => restoreSnapshot({ machineVersion: MACHINE_VERSION, snapshot: { ...(good.snapshot as object), value: "limbo" } })).toThrow(
      /state \("limbo"\)/,
    );
    expect(() => restoreSnapshot({ machineVersion: MACHINE_VERSION, snapshot: null })).toThrow(SnapshotVersionError);
  });
});

describe("malformed input is refused, never thrown", () => {
  it.each(["garbage", "2026-05-01", "2026-05-01T12:00:00", "May 1 2026", ""])("refuses the event time %j", (bad) => {
    const r = decide(snapshotIn("in_certification"), { type: "CERTIFY", actor: km, at: bad, ownerId: "o", reverifyIntervalDays: 30 });
    expect(r).toMatchObject({ ok: false, code: "bad_request" });
    if (!r.ok) expect(r.reason).toMatch(/ISO 8601/);
  });

  it("accepts a time with an explicit offset and does the date math in UTC", () => {
    const r = decide(snapshotIn("in_certification"), { type: "CERTIFY", actor: km, at: "2026-03-29T01:30:00+02:00", ownerId: "o", reverifyIntervalDays: 1 });
    expect(r.ok && r.snapshot.context.reverifyAt).toBe("2026-03-29T23:30:00.000Z");
  });

  it("refuses comments, reasons and owners that are not text", () => {
    const cases: [ApprovalState, unknown][] = [
      ["in_review", { type: "REQUEST_CHANGES", actor: expert, at, comment: 5 }],
      ["in_review", { type: "REJECT", actor: expert, at, reason: null }],
      ["in_review", { type: "APPROVE", actor: expert, at, comment: { text: "x" } }],
      ["in_certification", { type: "CERTIFY", actor: km, at, ownerId: 7, reverifyIntervalDays: 30 }],
      ["in_certification", { type: "CERTIFY", actor: km, at, ownerId: "o", reverifyIntervalDays: "30" }],
      ["certified", { type: "ARCHIVE", actor: km, at }],
    ];
    for (const [state, event] of cases) expect(decide(snapshotIn(state), event as ApprovalEvent)).toMatchObject({ ok: false, code: "bad_request" });
  });

  it("refuses damaged persisted snapshots with a SnapshotVersionError", () => {
    const good = persistSnapshot(initialSnapshot({ authorId: "a", topicIds: ["t"], requiredApprovals: 1 }));
    const withContext = (context: object) => ({ machineVersion: MACHINE_VERSION, snapshot: { ...(good.snapshot as object), context } });
    const bad: unknown[] = [
      null,
      "draft",
      { snapshot: good.snapshot },
      { machineVersion: "1", snapshot: good.snapshot },
      withContext({ authorId: "a" }),
      withContext({ authorId: "a", topicIds: ["t"], requiredApprovals: 1, approvals: [{ at }] }),
      withContext({ authorId: "a", topicIds: "t", requiredApprovals: 1, approvals: [] }),
    ];
    for (const persisted of bad) expect(() => restoreSnapshot(persisted as never)).toThrow(SnapshotVersionError);
  });
});

describe("every path through the workflow", () => {
  const events = [
    rightEvent("SUBMIT", "draft"),
    rightEvent("RESUBMIT", "changes_requested"),
    rightEvent("WITHDRAW", "draft"),
    { type: "APPROVE", actor: expert, at } as const,
    { type: "APPROVE", actor: expert2, at } as const,
    rightEvent("REQUEST_CHANGES", "in_review"),
    rightEvent("REQUEST_CHANGES", "in_certification"),
    rightEvent("REJECT", "in_review"),
    rightEvent("CERTIFY", "in_certification"),
    rightEvent("REVERIFICATION_DUE", "certified"),
    rightEvent("REVERIFY", "certified"),
    rightEvent("ARCHIVE", "certified"),
    rightEvent("RESTORE", "archived"),
    rightEvent("SUPERSEDE", "certified"),
  ] as ApprovalEvent[];
  const options = {
    input: { authorId: author.id, topicIds: [TOPIC], requiredApprovals: 2 },
    events,
    // Who approved is part of the state: two vertices with one approval each are different.
    serializeState: (s: { value: unknown; context: ApprovalContext }) =>
      `${String(s.value)}:${s.context.approvals.map((a) => a.userId).sort().join(",")}`,
  };

  it("reaches every final state and the archive from a draft", () => {
    const reached = new Set(getShortestPaths(approvalMachine, options).map((p) => String(p.state.value)));
    for (const s of ["rejected", "withdrawn", "superseded", "archived", "certified", "reverification_due"]) expect(reached).toContain(s);
  });

  it("certifies only after two distinct experts approved and a knowledge manager certified", () => {
    const paths = getSimplePaths(approvalMachine, options).filter((p) => p.state.value === "certified");
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const types = path.steps.map((s) => s.event.type);
      const certifyAt = types.indexOf("CERTIFY");
      expect(certifyAt).toBeGreaterThan(0);
      const approvers = new Set(path.steps.slice(0, certifyAt).filter((s) => s.event.type === "APPROVE").map((s) => s.event.actor.id));
      expect(approvers.size).toBeGreaterThanOrEqual(2);
      expect(path.steps[certifyAt]!.event.actor.id).toBe(km.id);
    }
  });
});
