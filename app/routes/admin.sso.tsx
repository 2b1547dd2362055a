import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ROLE_LABELS, ROLES } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { SsoSettingsFormSchema } from "../models/sso.schema";
import { saveSsoSettings, ssoRedirectUri, ssoSettingsView } from "../models/sso.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Single sign-on · Admin · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.settings");
  return { settings: await ssoSettingsView(), redirectUri: ssoRedirectUri(request) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.settings");
  const parsed = parseForm(await readForm(request), SsoSettingsFormSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  const saved = await saveSsoSettings(parsed.value, admin.id);
  if (!saved.ok) return invalid(saved.errors);
  return { ok: true as const, message: "Saved. The sign-in page uses these settings now." };
}

export default function AdminSso() {
  const { settings: s, redirectUri } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  const env = s.environment;
  return (
    <>
      <h1>Single sign-on</h1>
      <p>
        Sign-in through your company&apos;s OpenID Connect provider. Register Vetted there as a confidential web client with this
        redirect URI: <code className="break">{redirectUri}</code>
      </p>
      <p className="muted">{s.active ? "Single sign-on is on: the sign-in page offers it." : "Single sign-on is off."}</p>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      <section className="card">
        <Form method="post" noValidate>
          <CsrfInput />
          <FieldError id="form-error" errors={errors.form} role="alert" />
          <h2>Provider</h2>
          {env ? (
            <p className="notice">
              Set by the environment (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): issuer <code>{env.issuer}</code>, client{" "}
              <code>{env.clientId}</code>. The provider cannot be changed here while those are set.
            </p>
          ) : null}
          <label htmlFor="name">Button name (&quot;Sign in with …&quot;)</label>
          <input id="name" name="name" defaultValue={s.name} placeholder={env?.name || "Acme"} aria-describedby="name-error" />
          <FieldError id="name-error" errors={errors.name} />
          {env ? null : (
            <>
              <label htmlFor="issuer">Issuer URL</label>
              <input id="issuer" name="issuer" defaultValue={s.issuer} placeholder="https://login.example.com" aria-describedby="issuer-error" />
              <FieldError id="issuer-error" errors={errors.issuer} />
              <label htmlFor="clientId">Client id</label>
              <input id="clientId" name="clientId" defaultValue={s.clientId} aria-describedby="clientId-error" />
              <FieldError id="clientId-error" errors={errors.clientId} />
              <label htmlFor="clientSecret">Client secret {s.secretSet ? "(set; leave blank to keep it)" : "(not set)"}</label>
              <input id="clientSecret" name="clientSecret" type="password" autoComplete="off" aria-describedby="clientSecret-error" />
              <FieldError id="clientSecret-error" errors={errors.clientSecret} />
              {s.secretSet ? (
                <label className="check">
                  <input type="checkbox" name="clearSecret" value="on" /> Remove the stored secret
                </label>
              ) : null}
            </>
          )}

          <h2>Roles</h2>
          <label htmlFor="claim">Claim that carries the groups</label>
          <input id="claim" name="claim" defaultValue={s.claim} aria-describedby="claim-error" />
          <FieldError id="claim-error" errors={errors.claim} />
          <label htmlFor="rules">Rules, one per line: claim value = role ({ROLES.join(", ")})</label>
          <textarea
            id="rules"
            name="rules"
            rows={5}
            defaultValue={s.rules.map((r) => `${r.value} = ${r.role}`).join("\n")}
            placeholder={"vetted-experts = expert\nsupport = agent"}
            aria-describedby="rules-help rules-error"
          />
          <p id="rules-help" className="muted">
            Each matching rule adds its role; someone no rule matches gets the default role. Roles are set from the provider at every
            single sign-on (break-glass admins keep theirs).
          </p>
          <FieldError id="rules-error" errors={errors.rules} />
          <label htmlFor="defaultRole">Default role</label>
          <select id="defaultRole" name="defaultRole" defaultValue={s.defaultRole}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          <FieldError id="defaultRole-error" errors={errors.defaultRole} />

          <h2>Passwords</h2>
          <fieldset>
            <legend>Who may sign in with a password</legend>
            <label className="check">
              <input type="radio" name="passwordSignIn" value="everyone" defaultChecked={s.passwordSignIn === "everyone"} /> Everyone
            </label>
            <label className="check">
              <input type="radio" name="passwordSignIn" value="break_glass" defaultChecked={s.passwordSignIn === "break_glass"} /> Only the
              break-glass admins below (at /login?break-glass)
            </label>
          </fieldset>
          <FieldError id="passwordSignIn-error" errors={errors.passwordSignIn} />
          <label htmlFor="breakGlass">Break-glass admins, one email per line</label>
          <textarea id="breakGlass" name="breakGlass" rows={2} defaultValue={s.breakGlassEmails.join("\n")} aria-describedby="breakGlass-error" />
          <FieldError id="breakGlass-error" errors={errors.breakGlass} />
          <button type="submit" className="primary">
            Save single sign-on
          </button>
        </Form>
      </section>
    </>
  );
}
