import { Form } from "@remix-run/react";
import { CsrfInput } from "./csrf-input";

/** Signing out is a POST with the CSRF token (a link could be forged); the panel has its own. */
export function SignOutForm({ action = "/logout" }: { action?: "/logout" | "/panel/logout" }) {
  return (
    <Form method="post" action={action}>
      <CsrfInput />
      <button type="submit" className="link-button">
        Sign out
      </button>
    </Form>
  );
}
