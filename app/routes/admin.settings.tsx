import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { BrandingFormSchema } from "../models/faq.schema";
import { getBranding, saveBranding } from "../models/faq.server";
import { brandingFromForm } from "../models/faq-settings.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Public FAQ settings · Admin · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.settings");
  return { branding: await getBranding() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.settings");
  const parsed = parseForm(await readForm(request), BrandingFormSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  const result = brandingFromForm(parsed.value);
  if (!result.ok) return invalid(result.errors);
  await saveBranding(result.branding, admin.id);
  return { ok: true as const, message: "Saved. The live FAQ uses it now; run the export again to update a static copy." };
}

export default function AdminSettings() {
  const { branding } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Public FAQ settings</h1>
      <p>How the public FAQ at <a href="/faq">/faq</a> and its static export look.</p>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      <section className="card">
        <Form method="post" noValidate>
          <CsrfInput />
          <FieldError id="form-error" errors={errors.form} role="alert" />
          <label htmlFor="companyName">Company name</label>
          <input id="companyName" name="companyName" defaultValue={branding.companyName} required aria-describedby="companyName-error" />
          <FieldError id="companyName-error" errors={errors.companyName} />
          <label htmlFor="logoUrl">Logo address (optional; https://… or /path)</label>
          <input id="logoUrl" name="logoUrl" defaultValue={branding.logoUrl} aria-describedby="logoUrl-error" />
          <FieldError id="logoUrl-error" errors={errors.logoUrl} />
          <label htmlFor="primaryColour">Header colour (white text sits on it)</label>
          <input id="primaryColour" name="primaryColour" defaultValue={branding.primaryColour} pattern="#[0-9a-fA-F]{6}" aria-describedby="primaryColour-error" />
          <FieldError id="primaryColour-error" errors={errors.primaryColour} />
          <label htmlFor="accentColour">Link and button colour</label>
          <input id="accentColour" name="accentColour" defaultValue={branding.accentColour} pattern="#[0-9a-fA-F]{6}" aria-describedby="accentColour-error" />
          <FieldError id="accentColour-error" errors={errors.accentColour} />
          <label htmlFor="footerLinks">Footer links, one per line: Label | https://…</label>
          <textarea
            id="footerLinks"
            name="footerLinks"
            rows={4}
            defaultValue={branding.footerLinks.map((l) => `${l.label} | ${l.url}`).join("\n")}
            aria-describedby="footerLinks-error"
          />
          <FieldError id="footerLinks-error" errors={errors.footerLinks} />
          <button type="submit" className="primary">
            Save
          </button>
        </Form>
      </section>
    </>
  );
}
