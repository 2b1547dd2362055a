import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { newPasswordField } from "../auth/password-policy.server";
import { createUserSession } from "../auth/session.server";
import { findPasswordReset, resetPassword } from "../models/password-reset.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Vetted" }];

// Built in the action: the password rule lives in a .server module (see invite.$token.tsx).
function resetSchema() {
  return z
    .object({ password: newPasswordField, confirm: z.string({ message: "Type the password again" }) })
    .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const reset = await findPasswordReset(params.token ?? "");
  if (!reset) return data({ valid: false as const }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return data({ valid: true as const, email: reset.email }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseForm(await readForm(request), resetSchema());
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const user = await resetPassword({ token: params.token ?? "", password: parsed.value.password });
    return redirect("/", { headers: { "Set-Cookie": await createUserSession(request, user.id) } });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  if (!loaded.valid) {
    return (
      <section className="card narrow">
        <h1>This link no longer works</h1>
        <p>A reset link works once, for an hour. Ask for a new one.</p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow">
      <h1>Choose a new password</h1>
      <p>
        For <strong>{loaded.email}</strong>. At least 12 characters; a common password is refused. You will be signed out everywhere else.
      </p>
      <Form method="post" noValidate>
        <CsrfInput />
        <FieldError id="form-error" errors={errors.form} role="alert" />
        <label htmlFor="password">New password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={12} required aria-describedby="password-error" />
        <FieldError id="password-error" errors={errors.password} />
        <label htmlFor="confirm">Type it again</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required aria-describedby="confirm-error" />
        <FieldError id="confirm-error" errors={errors.confirm} />
        <button className="primary" type="submit">
          Set password and sign in
        </button>
      </Form>
    </section>
  );
}
