import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { BrandingFormSchema } from "../models/faq.schema";
import { getBranding, saveBranding } from "../models/faq.server";
import { brandingFromForm } from "../models/faq-settings.server";
import { DeskSettingsFormSchema } from "../models/agent.schema";
import { deskSettingsFromForm, getDeskSettings, saveDeskSettings } from "../models/agent-desk.server";
import { LeaderboardSettingSchema, leaderboardsEnabled, setLeaderboards } from "../models/people.server";
import { companyCalendar, saveCompanyCalendar } from "../insights/calendar.server";
import { hhmm, WEEKDAYS, WorkingCalendarForm } from "../insights/working-time";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Settings · Admin · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.settings");
  const [branding, desk, boards, calendar] = await Promise.all([getBranding(), getDeskSettings(), leaderboardsEnabled(), companyCalendar()]);
  const zones = Intl.supportedValuesOf("timeZone");
  return { branding, desk, boards, calendar, zones: zones.includes("UTC") ? zones : ["UTC", ...zones] };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.settings");
  const form = await readForm(request);
  if (form.get("intent") === "leaderboards") {
    const parsed = parseForm(form, LeaderboardSettingSchema);
    if (!parsed.ok) return invalid(parsed.errors);
    await setLeaderboards(parsed.value.enabled === "on", admin.id);
    return { ok: true as const, message: parsed.value.enabled === "on" ? "Leaderboards are shown on People." : "Leaderboards are off: People shows expertise and points, no rankings by points." };
  }
  if (form.get("intent") === "calendar") {
    const parsed = parseForm(form, WorkingCalendarForm);
    if (!parsed.ok) return invalid(parsed.errors);
    await saveCompanyCalendar(parsed.value, admin.id);
    return { ok: true as const, message: "Saved. Review targets count these working hours; Insights shows days in this time zone." };
  }
  if (form.get("intent") === "desk") {
    const parsedDesk = parseForm(form, DeskSettingsFormSchema);
    if (!parsedDesk.ok) return invalid(parsedDesk.errors);
    const desk = deskSettingsFromForm(parsedDesk.value);
    if (!desk.ok) return invalid(desk.errors);
    await saveDeskSettings(desk.value, admin.id);
    return { ok: true as const, message: "Saved. Email replies end with the sign-off; the panel may be framed by these origins now." };
  }
  const parsed = parseForm(form, BrandingFormSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  const result = brandingFromForm(parsed.value);
  if (!result.ok) return invalid(result.errors);
  await saveBranding(result.branding, admin.id);
  return { ok: true as const, message: "Saved. The live FAQ uses it now; run the export again to update a static copy." };
}

export default function AdminSettings() {
  const { branding, desk, boards, calendar, zones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Settings</h1>
      <h2 id="faq-heading">Public FAQ</h2>
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
      <h2 id="desk-heading">Agent desk</h2>
      <section className="card" aria-labelledby="desk-heading">
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="desk" />
          <label htmlFor="signOff">Sign-off line of email replies (optional)</label>
          <textarea id="signOff" name="signOff" rows={2} defaultValue={desk.signOff} aria-describedby="signOff-error" />
          <FieldError id="signOff-error" errors={errors.signOff} />
          <label htmlFor="panelOrigins">Help-desk origins that may show the agent panel (/panel), one per line</label>
          <textarea
            id="panelOrigins"
            name="panelOrigins"
            rows={3}
            placeholder="https://yourcompany.zendesk.com"
            defaultValue={desk.panelOrigins.join("\n")}
            aria-describedby="panelOrigins-help panelOrigins-error"
          />
          <p id="panelOrigins-help" className="muted">
            Only these sites may frame the panel; every other page of Vetted refuses to be framed. See the README for the Zendesk app.
          </p>
          <FieldError id="panelOrigins-error" errors={errors.panelOrigins} />
          <button type="submit" className="primary">
            Save agent desk
          </button>
        </Form>
      </section>
      <h2 id="calendar-heading">Working hours and time zone</h2>
      <section className="card" aria-labelledby="calendar-heading">
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="calendar" />
          <p>Review targets (&ldquo;review within 2 working days&rdquo;) count only these hours; Insights starts its days and weeks in this time zone.</p>
          <label htmlFor="timeZone">Company time zone</label>
          <select id="timeZone" name="timeZone" defaultValue={calendar.timeZone} aria-describedby="timeZone-error">
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          <FieldError id="timeZone-error" errors={errors.timeZone} />
          <fieldset aria-describedby="days-error">
            <legend>Working days</legend>
            <div className="checks">
              {WEEKDAYS.map((name, day) => (
                <label key={name} className="check">
                  <input type="checkbox" name="days" value={day} defaultChecked={calendar.days.includes(day)} /> {name}
                </label>
              ))}
            </div>
          </fieldset>
          <FieldError id="days-error" errors={errors.days} />
          <div className="field-pair">
            <div>
              <label htmlFor="start">Working day starts</label>
              <input id="start" name="start" type="time" defaultValue={hhmm(calendar.startMinute)} aria-describedby="start-error" />
              <FieldError id="start-error" errors={errors.start} />
            </div>
            <div>
              <label htmlFor="end">Working day ends</label>
              <input id="end" name="end" type="time" defaultValue={hhmm(calendar.endMinute)} aria-describedby="end-error" />
              <FieldError id="end-error" errors={errors.end} />
            </div>
          </div>
          <button type="submit" className="primary">
            Save working hours
          </button>
        </Form>
      </section>
      <h2 id="boards-heading">Leaderboards</h2>
      <section className="card" aria-labelledby="boards-heading">
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="leaderboards" />
          <p>A topic&apos;s monthly leaderboard by points, on People. Some teams find it motivating, others find it a distraction: your choice.</p>
          <fieldset>
            <legend>Show leaderboards</legend>
            <label className="check">
              <input type="radio" name="enabled" value="on" defaultChecked={boards} /> On
            </label>
            <label className="check">
              <input type="radio" name="enabled" value="off" defaultChecked={!boards} /> Off
            </label>
          </fieldset>
          <FieldError id="enabled-error" errors={errors.enabled} />
          <button type="submit" className="primary">
            Save leaderboards
          </button>
        </Form>
      </section>
    </>
  );
}
