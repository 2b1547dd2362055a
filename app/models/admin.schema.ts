import { z } from "zod";
import { ROLES } from "../auth/policy";

/** Form schemas of the admin pages, shared by the actions and their tests. */
export const RolesField = z
  .array(z.enum(ROLES, { message: "Unknown role" }), { message: "Choose at least one role" })
  .min(1, "Choose at least one role");

export const CreateUserSchema = z.object({
  email: z.email("Enter a valid email address").max(320),
  displayName: z.string({ message: "Enter the person's name" }).trim().min(1, "Enter the person's name").max(120),
  roles: RolesField,
});

export const TopicSchema = z.object({
  slug: z
    .string({ message: "Enter a slug" })
    .trim()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes, e.g. billing-and-plans")
    .max(60),
  name: z.string({ message: "Enter a name" }).trim().min(1, "Enter a name").max(80),
  description: z.string().trim().max(500, "Keep the description under 500 characters").default(""),
  requiredApprovals: z.number({ message: "Enter a number from 1 to 10" }).int().min(1, "At least 1").max(10, "At most 10"),
  reverifyIntervalDays: z
    .number({ message: "Enter a number of days from 1 to 3650" })
    .int()
    .min(1, "At least 1 day")
    .max(3650, "At most 3650 days"),
  // Older forms and API clients omit these: the defaults of the table apply.
  flagResponseDays: z.number({ message: "Enter a number of working days from 1 to 30" }).int().min(1, "At least 1 working day").max(30, "At most 30 working days").default(2),
  reviewTargetDays: z.number({ message: "Enter a number of working days from 1 to 30" }).int().min(1, "At least 1 working day").max(30, "At most 30 working days").default(2),
  flagThreshold: z.number({ message: "Enter a number of people from 1 to 50" }).int().min(1, "At least 1 person").max(50, "At most 50 people").default(3),
});
