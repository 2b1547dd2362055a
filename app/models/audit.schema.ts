import { z } from "zod";

/** The audit viewer's kinds: each a group of actions a person asks about by name. */
export const AUDIT_KINDS = {
  sign_in: "Sign-ins (and refusals)",
  roles: "Role changes",
  deactivation: "Deactivations and reactivations",
  users: "Users created",
  tokens: "API tokens: created, used, revoked",
  settings: "Settings changes",
  topics: "Topics and experts",
  moderation: "Moderation and feedback",
} as const;
export type AuditKind = keyof typeof AUDIT_KINDS;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-04")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a date")
  .optional();

/** The viewer's filters, read from the query string (the page and its CSV share them; parseQuery drops empty ones). */
export const AuditFilterSchema = z
  .object({
    actor: z.string().trim().max(200, "At most 200 characters").refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32), "No control characters").optional(),
    kind: z.enum(Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]], { message: "Choose a kind from the list" }).optional(),
    from: day,
    to: day,
    page: z.coerce.number().int("A whole page number").min(1).max(100_000).default(1),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "The start date is after the end date", path: ["to"] });
export type AuditFilter = z.output<typeof AuditFilterSchema>;

/**
 * A CSV cell that a spreadsheet will not run: text starting with = + - @ (or a tab or carriage
 * return, which some programs strip before looking) is a formula to Excel and LibreOffice, so it
 * gets a leading apostrophe; then the cell is quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}
