import { dictionary } from "@zxcvbn-ts/language-common";
import { z } from "zod";

/**
 * NIST SP 800-63B's rule for memorized secrets: long enough, anything else allowed (spaces,
 * any script), no composition rules, but never a password that is known to be common. The list
 * (49,000 passwords seen in breaches) ships in @zxcvbn-ts/language-common.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password.normalize("NFKC")].length;
  if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (password.trim() === "") return "A password cannot be only spaces.";
  const lower = password.toLowerCase();
  if (/^(.)\1+$/u.test(lower)) return "A password cannot be one character repeated.";
  if (commonPasswords().has(lower) || commonPasswords().has(lower.trim())) return "This password is on a list of common passwords; choose another.";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return "Do not use your email address in your password.";
  return null;
}

/** The zod field every "choose a password" form uses. */
export const newPasswordField = z
  .string({ message: "Choose a password" })
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
