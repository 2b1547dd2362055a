/**
 * The one role × action table. Every loader and action asks `can()` (through
 * `requirePermission` on the server); the navigation asks it too, so a link is only shown
 * where the page would let the user in. Pure: safe in the browser and in workflows/.
 */
export const ROLES = ["employee", "expert", "knowledge_manager", "agent", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  employee: "Employee",
  expert: "Expert reviewer",
  knowledge_manager: "Knowledge manager",
  agent: "Agent",
  admin: "Admin",
};

export const ACTIONS = [
  /** write, save and submit draft answers */
  "answer.draft",
  /** approve, request changes, reject drafts in one's topics */
  "answer.review",
  /** certify expert-approved answers */
  "answer.certify",
  /** re-verify a certified answer that is due */
  "answer.reverify",
  /** archive certified answers and restore archived ones */
  "answer.archive",
  /** read certified answers */
  "answer.read",
  /** search certified answers */
  "search.use",
  /** record that an answer was used in a reply */
  "answer.use",
  /** ask for an answer that does not exist */
  "answer.request",
  /** rate a certified answer helpful or not, and flag a problem with it */
  "answer.feedback",
  /** act on flags assigned to one (or in one's topics): start a revision or dismiss with a reason */
  "feedback.act",
  /** find people by expertise and read their profiles */
  "people.view",
  /** write wiki pages, blog posts, forum threads and replies */
  "content.write",
  /** read wiki, blog and forum */
  "content.read",
  /** hide content, with a reason kept in the audit log */
  "content.moderate",
  /** reading and tuning search: synonyms, content gaps, reuse metrics */
  "insights.view",
  /** the knowledge-health dashboard limited to the topics one reviews (experts) */
  "insights.topics",
  /** review phrasings learned from agents' searches: promote to an "also asked as", or reject */
  "phrasings.review",
  /** the same, for answers in the topics one reviews (experts) */
  "phrasings.topics",
  "admin.users",
  "admin.topics",
  "admin.tokens",
  "admin.settings",
  "admin.synonyms",
  /** read the audit log: sign-ins, role changes, deactivations, token use, settings changes */
  "admin.audit",
] as const;
export type Action = (typeof ACTIONS)[number];

const AUTHOR: Action[] = ["answer.draft", "content.write", "content.read", "answer.read", "search.use", "answer.request", "answer.feedback", "feedback.act", "people.view"];

export const POLICY: Record<Role, readonly Action[]> = {
  employee: AUTHOR,
  expert: [...AUTHOR, "answer.review", "answer.reverify", "insights.topics", "phrasings.topics"],
  knowledge_manager: [...AUTHOR, "answer.certify", "answer.archive", "answer.reverify", "insights.view", "admin.synonyms", "phrasings.review"],
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

/** May a holder of these roles perform this action? Roles add up. */
export function can(roles: readonly Role[], action: Action): boolean {
  return roles.some((role) => POLICY[role]?.includes(action));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
