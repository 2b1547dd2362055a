import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { createUserSession, getSessionUser, isPanelRequest } from "../auth/session.server";
import { demoAccounts } from "../models/demo.server";
import { signInOptions } from "../models/sso.server";
import { signIn } from "../models/user.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { clientIp, safeRedirect } from "../utils/http.server";
import { invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Vetted" }];

const SignInSchema = z.object({
  email: z.email("Enter your email address, e.g. name@company.com").max(320),
  password: z.string({ message: "Enter your password" }).min(1, "Enter your password").max(1024),
  redirectTo: z.string().optional(),
});

/** Keeps the throttle's Retry-After on the page a browser gets back. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  // The help-desk panel signs in here too (panel.login.tsx), into its own session cookie.
  const home = isPanelRequest(request) ? "/panel/search" : "/";
  if (await getSessionUser(request)) throw redirect(home);
  const [demo, options] = await Promise.all([demoAccounts(), signInOptions()]);
  // With password sign-in off, the form is only for break-glass admins, who know to add ?break-glass.
  const passwordForm = options.passwordForEveryone || new URL(request.url).searchParams.has("break-glass");
  // The framed panel keeps to passwords: its CSRF and session cookies live under /panel only.
  return { demo, home, sso: isPanelRequest(request) ? null : options.sso, passwordForm: passwordForm || isPanelRequest(request) };
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const parsed = parseForm(formData, SignInSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  const result = await signIn({ email: parsed.value.email, password: parsed.value.password, ip: clientIp(request) });
  if (!result.ok) {
    if (result.reason === "throttled") {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      return data(
        { ok: false as const, errors: { form: [`Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`] } },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    const message =
      result.reason === "inactive"
        ? "This account has been deactivated. Ask an admin to reactivate it."
        : result.reason === "sso_only"
          ? "Password sign-in is turned off here: use the single sign-on button."
          : "The email or password is not right.";
    return invalid({ form: [message] }, result.reason === "invalid" ? 401 : 403);
  }
  const cookie = await createUserSession(request, result.user.id);
  return redirect(safeRedirect(parsed.value.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { demo, home, sso, passwordForm } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = actionData && !actionData.ok ? actionData.errors : {};
  return (
    <div className="auth-page">
      <section className="card narrow">
        <h1>Sign in to Vetted</h1>
        {sso ? (
          // A full page load: the answer is a redirect to the identity provider's site.
          <Form method="post" action="/auth/sso/start" reloadDocument className="sso-sign-in">
            <CsrfInput />
            <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? home} />
            <button type="submit" className="primary">
              {`Sign in with ${sso.name}`}
            </button>
          </Form>
        ) : null}
        {sso && passwordForm ? <p className="muted">or with your email and password:</p> : null}
        {passwordForm ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? home} />
          <FieldError id="form-error" errors={errors.form} role="alert" />
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required autoFocus={home === "/"} aria-describedby="email-error" />
          <FieldError id="email-error" errors={errors.email} />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required aria-describedby="password-error" />
          <FieldError id="password-error" errors={errors.password} />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
          {home === "/" ? (
            <p>
              <Link to="/forgot-password">Forgot password?</Link>
            </p>
          ) : null}
        </Form>
        ) : null}
      </section>
      {demo ? (
        <section className="card narrow demo-accounts" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Demo accounts</h2>
          <p>
            This Vetted runs on demo data. Every account's password is <code>{demo.password}</code>.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Email</th>
              </tr>
            </thead>
            <tbody>
              {demo.accounts.map((a) => (
                <tr key={a.email}>
                  <td>{a.role}</td>
                  <td>
                    <code>{a.email}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
