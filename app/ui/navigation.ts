import { can, type Action, type Role } from "../auth/policy";

export interface NavItem {
  to: string;
  label: string;
  /** The user sees the link when any of these is allowed. */
  anyOf: Action[];
  /** A whole document of its own (the public FAQ is a resource route): no client-side navigation. */
  document?: boolean;
  /** …unless any of these is allowed (they reach the page another way). */
  unlessAnyOf?: Action[];
}

export const NAVIGATION: NavItem[] = [
  { to: "/write", label: "Write", anyOf: ["answer.draft", "content.write"] },
  { to: "/review", label: "Review", anyOf: ["answer.review", "answer.certify"] },
  { to: "/wiki", label: "Wiki", anyOf: ["content.read"] },
  { to: "/blog", label: "Blog", anyOf: ["content.read"] },
  { to: "/forum", label: "Forum", anyOf: ["content.read"] },
  { to: "/search", label: "Search", anyOf: ["search.use"] },
  { to: "/requests", label: "Requests", anyOf: ["answer.request"] },
  { to: "/feedback", label: "Feedback", anyOf: ["answer.feedback", "feedback.act"] },
  { to: "/insights", label: "Insights", anyOf: ["insights.view", "insights.topics"] },
  { to: "/people", label: "People", anyOf: ["people.view"] },
  { to: "/faq", label: "FAQ", anyOf: ["answer.read"], document: true },
  { to: "/admin", label: "Admin", anyOf: ["admin.users", "admin.topics", "admin.settings"] },
  // Knowledge managers tune synonyms but see no other admin page: link it directly.
  { to: "/admin/synonyms", label: "Synonyms", anyOf: ["admin.synonyms"], unlessAnyOf: ["admin.users", "admin.topics", "admin.settings"] },
];

export function navigationFor(roles: readonly Role[]): NavItem[] {
  return NAVIGATION.filter((item) => item.anyOf.some((a) => can(roles, a)) && !(item.unlessAnyOf ?? []).some((a) => can(roles, a)));
}
