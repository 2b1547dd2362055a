import { z } from "zod";

/** Relative luminance (WCAG 2) of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of a colour against white: the FAQ draws white text on the brand colour and brand-coloured links on white. */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

const Colour = z
  .string({ message: "Enter a colour like #1f4e79" })
  .trim()
  .toLowerCase()
  .regex(/^#[0-9a-f]{6}$/, "Enter a colour like #1f4e79")
  .refine((c) => contrastWithWhite(c) >= 4.5, "Too light: white text on it and it on white must reach a 4.5:1 contrast (WCAG AA)");

const SafeUrl = z
  .string()
  .trim()
  .max(500)
  .refine((u) => /^https?:\/\/[^\s"'<>]+$/i.test(u) || /^\/(?!\/)[^\s"'<>]*$/.test(u), "Use an https://… address or a path starting with /");

export const FooterLinkSchema = z.object({
  label: z.string().trim().min(1, "Enter the link's text").max(60),
  url: SafeUrl,
});

/** What an admin sets for the public FAQ (live and exported). Stored in app_settings 'branding'. */
export const BrandingSchema = z.object({
  companyName: z.string({ message: "Enter the company name" }).trim().min(1, "Enter the company name").max(80),
  logoUrl: z.union([z.literal(""), SafeUrl]).default(""),
  primaryColour: Colour,
  accentColour: Colour,
  footerLinks: z.array(FooterLinkSchema).max(8, "At most 8 footer links").default([]),
});
export type Branding = z.infer<typeof BrandingSchema>;

export const DEFAULT_BRANDING: Branding = {
  companyName: "Vetted",
  logoUrl: "",
  primaryColour: "#1f4e79",
  accentColour: "#0b5cad",
  footerLinks: [],
};

/** The admin form: footer links are typed one per line as "Label | https://…". */
export const BrandingFormSchema = z.object({
  companyName: BrandingSchema.shape.companyName,
  logoUrl: z.string().trim().max(500).optional().default(""),
  primaryColour: Colour,
  accentColour: Colour,
  footerLinks: z.string().max(4000).optional().default(""),
});

/** The public "Was this helpful?" form. */
export const FeedbackSchema = z.object({
  helpful: z.enum(["yes", "no"], { message: "Choose Yes or No" }),
  comment: z.string().trim().max(1000, "Keep the comment under 1000 characters").optional(),
});
