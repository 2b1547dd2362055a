import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../auth/session.server";
import { DELIVERY_LABELS, DELIVERY_MODES, MAIL_KINDS } from "../notifications/mail-kinds";
import { mailMode } from "../notifications/mail-transport.server";
import { PreferencesSchema, getPreferences, savePreferences } from "../notifications/preferences.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Notification settings · Vetted" }];

function timeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { prefs: await getPreferences(user.id), mode: mailMode(), email: user.email, zones: timeZones() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readForm(request), PreferencesSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  await savePreferences(user.id, parsed.value);
  return { ok: true as const, message: "Saved. New notifications follow these choices." };
}

const hourLabel = (h: number) => `${String(h).padStart(2, "0")}:00`;

export default function NotificationSettings() {
  const { prefs, mode, email, zones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result.errors : {};
  return (
    <section className="card">
      <h1>Notification settings</h1>
      <p>
        Everything arrives in your Inbox. Choose what also comes by email to <strong>{email}</strong>: at once, in one daily digest, or not at all.
      </p>
      {mode === "off" ? (
        <p className="notice" role="note">
          Email is off on this server (an admin sets <code>SMTP_URL</code> to turn it on). Your choices are kept for when it is.
        </p>
      ) : mode === "log" ? (
        <p className="notice" role="note">
          Email is not set up on this server (no <code>SMTP_URL</code>): messages are written to the server log instead of being sent.
        </p>
      ) : null}
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <CsrfInput />
        <FieldError id="form-error" errors={errors.form} role="alert" />
        {MAIL_KINDS.map((k) => (
          <fieldset key={k.kind} className="radio-row">
            <legend>{k.label}</legend>
            {DELIVERY_MODES.map((m) => (
              <label key={m} className="inline">
                <input type="radio" name={`modes.${k.kind}`} value={m} defaultChecked={prefs.modes[k.kind] === m} /> {DELIVERY_LABELS[m]}
              </label>
            ))}
            <FieldError id={`modes-${k.kind}-error`} errors={errors[`modes.${k.kind}`]} />
          </fieldset>
        ))}
        <h2>Daily digest</h2>
        <label htmlFor="digestHour">Send it at</label>
        <select id="digestHour" name="digestHour" defaultValue={String(prefs.digestHour)} aria-describedby="digestHour-error">
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={h}>
              {hourLabel(h)}
            </option>
          ))}
        </select>
        <FieldError id="digestHour-error" errors={errors.digestHour} />
        <label htmlFor="timeZone">Time zone</label>
        <select id="timeZone" name="timeZone" defaultValue={prefs.timeZone} aria-describedby="timeZone-error">
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <FieldError id="timeZone-error" errors={errors.timeZone} />
        <p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
        </p>
      </Form>
    </section>
  );
}
