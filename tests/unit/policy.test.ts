import { describe, expect, it } from "vitest";
import { ACTIONS, can, POLICY, ROLES, type Action, type Role } from "../../app/auth/policy";
import { navigationFor } from "../../app/ui/navigation";

// The expected matrix, written out independently of POLICY: a change to either must be deliberate.
const EXPECTED: Record<Role, Action[]> = {
  employee: ["answer.draft", "answer.read", "search.use", "answer.request", "content.write", "content.read", "answer.feedback", "feedback.act", "people.view"],
  expert: ["answer.draft", "answer.review", "answer.reverify", "insights.topics", "phrasings.topics", "answer.read", "search.use", "answer.request", "content.write", "content.read", "answer.feedback", "feedback.act", "people.view"],
  knowledge_manager: [
    "answer.draft",
    "answer.certify",
    "answer.reverify",
    "answer.archive",
    "answer.read",
    "search.use",
    "answer.request",
    "content.write",
    "content.read",
    "insights.view",
    "admin.synonyms",
    "phrasings.review",
    "answer.feedback",
    "feedback.act",
    "people.view",
  ],
  agent: ["answer.read", "search.use", "answer.use", "answer.request", "content.read", "answer.feedback", "people.view"],
  admin: [
    "answer.read",
    "answer.feedback",
    "people.view",
    "search.use",
    "content.read",
    "content.moderate",
    "insights.view",
    "admin.users",
    "admin.topics",
    "admin.tokens",
    "admin.settings",
    "admin.synonyms",
    "admin.audit",
    "phrasings.review",
  ],
};

describe("policy matrix: every role × every action", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const allowed = EXPECTED[role].includes(action);
      it(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        expect(can([role], action)).toBe(allowed);
      });
    }
  }

  it("lists no action that is not declared", () => {
    for (const role of ROLES) for (const a of POLICY[role]) expect(ACTIONS).toContain(a);
  });

  it("adds roles up", () => {
    expect(can(["agent", "expert"], "answer.review")).toBe(true);
    expect(can(["agent", "expert"], "answer.use")).toBe(true);
    expect(can([], "answer.read")).toBe(false);
  });

  it("never lets one role both write and certify unless it is a knowledge manager (separation is enforced per answer)", () => {
    expect(can(["admin"], "answer.certify")).toBe(false);
    expect(can(["expert"], "answer.certify")).toBe(false);
  });
});

describe("navigation follows the policy", () => {
  const labels = (role: Role) => navigationFor([role]).map((n) => n.label);
  it("shows each role what it may open", () => {
    expect(labels("employee")).toEqual(["Write", "Wiki", "Blog", "Forum", "Search", "Requests", "Feedback", "People", "FAQ"]);
    expect(labels("expert")).toEqual(["Write", "Review", "Wiki", "Blog", "Forum", "Search", "Requests", "Feedback", "Insights", "People", "FAQ"]);
    // Issue 11: knowledge managers tune synonyms, and had no link to that page.
    expect(labels("knowledge_manager")).toEqual(["Write", "Review", "Wiki", "Blog", "Forum", "Search", "Requests", "Feedback", "Insights", "People", "FAQ", "Synonyms"]);
    expect(labels("agent")).toEqual(["Wiki", "Blog", "Forum", "Search", "Requests", "Feedback", "People", "FAQ"]);
    expect(labels("admin")).toEqual(["Wiki", "Blog", "Forum", "Search", "Feedback", "Insights", "People", "FAQ", "Admin"]);
  });
});
