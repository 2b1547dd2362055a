import { BrandingSchema, type BrandingFormSchema, type Branding } from "./faq.schema";
import type { FieldErrors } from "../utils/forms.server";

/** "Label | https://…" per line → footer links; a line that does not parse is a field error. */
export function brandingFromForm(value: ReturnType<typeof BrandingFormSchema.parse>): { ok: true; branding: Branding } | { ok: false; errors: FieldErrors } {
  const lines = value.footerLinks
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const footerLinks = [];
  for (const [i, line] of lines.entries()) {
    const bar = line.lastIndexOf("|");
    if (bar < 0) return { ok: false, errors: { footerLinks: [`Line ${i + 1}: write it as "Label | https://…"`] } };
    footerLinks.push({ label: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() });
  }
  const parsed = BrandingSchema.safeParse({ ...value, footerLinks });
  if (parsed.success) return { ok: true, branding: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "form");
    (errors[key] ??= []).push(key === "footerLinks" && issue.path.length > 1 ? `Line ${Number(issue.path[1]) + 1}: ${issue.message}` : issue.message);
  }
  return { ok: false, errors };
}
