import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { newPasswordField } from "../auth/password-policy.server";
import { createUserSession } from "../auth/session.server";
import { acceptInvite, findInvite } from "../models/user.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Set your password · Vetted" }];

// A function, not a module-level value: the password rule lives in a .server module (its list
// of common passwords must not reach the browser), so only the action may build the schema.
function setPasswordSchema() {
  return z
    .object({
      password: newPasswordField,
      confirm: z.string({ message: "Type the password again" }),
    })
    .refine((v) => v.password === v.confirm, { message: "The two passwords differ", path: ["confirm"] });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const invite = await findInvite(params.token ?? "");
  if (!invite) throw new Response("This invite link has expired or was already used. Ask an admin for a new one.", { status: 404 });
  return { email: invite.email, displayName: invite.displayName };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseForm(await readForm(request), setPasswordSchema());
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const user = await acceptInvite({ token: params.token ?? "", password: parsed.value.password });
    return redirect("/", { headers: { "Set-Cookie": await createUserSession(request, user.id) } });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Invite() {
  const { email, displayName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <section className="card narrow">
      <h1>Welcome, {displayName}</h1>
      <p>
        Choose a password for <strong>{email}</strong>.
      </p>
      <Form method="post" noValidate>
        <CsrfInput />
        <FieldError id="form-error" errors={errors.form} role="alert" />
        <label htmlFor="password">New password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={12} required />
        <FieldError id="password-error" errors={errors.password} />
        <label htmlFor="confirm">Type it again</label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
        <FieldError id="confirm-error" errors={errors.confirm} />
        <button className="primary" type="submit">
          Set password and sign in
        </button>
      </Form>
    </section>
  );
}
