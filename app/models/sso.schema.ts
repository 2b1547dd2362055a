import { z } from "zod";
import { ROLES } from "../auth/policy";

/** How people may sign in with a password once single sign-on is on. */
export const PASSWORD_MODES = ["everyone", "break_glass"] as const;
export type PasswordMode = (typeof PASSWORD_MODES)[number];

const lines = (s: string | undefined) =>
  (s ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** One role-mapping rule per line: `claim value = role`, e.g. `vetted-experts = expert`. */
export function parseRoleRules(text: string | undefined): { ok: true; rules: { value: string; role: (typeof ROLES)[number] }[] } | { ok: false; message: string } {
  const rules: { value: string; role: (typeof ROLES)[number] }[] = [];
  for (const [i, line] of lines(text).entries()) {
    const at = line.lastIndexOf("=");
    const value = at > 0 ? line.slice(0, at).trim() : "";
    const role = at > 0 ? line.slice(at + 1).trim() : "";
    if (!value || !(ROLES as readonly string[]).includes(role)) {
      return { ok: false, message: `Line ${i + 1}: write "claim value = role", where role is one of ${ROLES.join(", ")}.` };
    }
    rules.push({ value, role: role as (typeof ROLES)[number] });
  }
  if (rules.length > 200) return { ok: false, message: "At most 200 rules." };
  return { ok: true, rules };
}

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `At most ${max} characters`)
    .optional()
    .transform((s) => s?.trim() ?? "");

/** The admin's single sign-on form (app/routes/admin.sso.tsx). */
export const SsoSettingsFormSchema = z.object({
  name: optionalText(60),
  issuer: optionalText(500).refine((s) => s === "" || (/^https?:\/\//.test(s) && URL.canParse(s)), "Enter the provider's issuer URL, e.g. https://login.example.com"),
  clientId: optionalText(300),
  /** Blank keeps the stored secret: it is never sent back to the browser. */
  clientSecret: optionalText(1000),
  clearSecret: z.literal("on").optional(),
  claim: optionalText(100).refine((s) => s === "" || /^[A-Za-z0-9_.:/-]+$/.test(s), "Letters, digits and _ . : / - only"),
  rules: optionalText(20_000),
  defaultRole: z.enum(ROLES, { message: "Choose the role of people no rule matches" }),
  passwordSignIn: z.enum(PASSWORD_MODES, { message: "Choose who may sign in with a password" }),
  breakGlass: optionalText(5000),
});
export type SsoSettingsForm = z.output<typeof SsoSettingsFormSchema>;

export const breakGlassEmails = (text: string) => lines(text).map((l) => l.toLowerCase());
