import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getSessionUser } from "../auth/session.server";
import { requestPasswordReset } from "../models/password-reset.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { clientIp } from "../utils/http.server";
import { invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Vetted" }];

const ForgotSchema = z.object({ email: z.email("Enter your email address, e.g. name@company.com").max(320) });

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getSessionUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(await readForm(request), ForgotSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  const result = await requestPasswordReset({ email: parsed.value.email, ip: clientIp(request) });
  if (!result.ok) {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return data(
      { ok: false as const, errors: { form: [`Too many reset requests. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`] } as FieldErrors },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  // The same words whether or not the address has an account.
  return { ok: true as const, email: parsed.value.email };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <div className="auth-page">
      <section className="card narrow">
        <h1>Forgot your password?</h1>
        {result?.ok ? (
          <p className="notice success" role="status">
            If <strong>{result.email}</strong> belongs to an account, a link to choose a new password is on its way there. It works once, for an hour.
          </p>
        ) : (
          <p>Type the email address you sign in with; we send a link to choose a new password.</p>
        )}
        <Form method="post" noValidate>
          <CsrfInput />
          <FieldError id="form-error" errors={errors.form} role="alert" />
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required aria-describedby="email-error" />
          <FieldError id="email-error" errors={errors.email} />
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Sending…" : "Send the reset link"}
          </button>
        </Form>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </section>
    </div>
  );
}
