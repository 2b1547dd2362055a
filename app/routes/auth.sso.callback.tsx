import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { createUserSession } from "../auth/session.server";
import { completeSsoSignIn } from "../models/sso.server";

export const meta: MetaFunction = () => [{ title: "Single sign-on · Vetted" }];

/** The provider sends the browser back here with a code; the model checks it and signs in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const result = await completeSsoSignIn(request);
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", result.clearCookie);
  if (!result.ok) return data({ message: result.message }, { status: result.status, headers });
  headers.append("Set-Cookie", await createUserSession(request, result.user.id));
  throw redirect(result.redirectTo, { headers });
}

export default function SsoCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="auth-page">
      <section className="card narrow">
        <h1>Sign-in refused</h1>
        <p role="alert">{message}</p>
        <p>
          <Link to="/login">Back to the sign-in page</Link>
        </p>
      </section>
    </div>
  );
}
