import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "../auth/session.server";
import { TOKEN_SCOPES } from "../models/agent.schema";
import { createApiToken, listApiTokens, revokeApiToken } from "../models/agent.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { formatDateTime } from "../ui/format";
import { domainErrorResponse, invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "API tokens · Admin · Vetted" }];

const TokenActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: z.string({ message: "Name the token after the tool that uses it" }).trim().min(1, "Name the token after the tool that uses it").max(80),
    scopes: z.array(z.enum(TOKEN_SCOPES), { message: "Choose at least one scope" }).min(1, "Choose at least one scope"),
  }),
  z.object({ intent: z.literal("revoke"), id: z.uuid() }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.tokens");
  return { tokens: await listApiTokens() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.tokens");
  const parsed = parseForm(await readForm(request), TokenActionSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    if (parsed.value.intent === "create") {
      const { token } = await createApiToken({ name: parsed.value.name, scopes: parsed.value.scopes, createdBy: user.id });
      return data({ ok: true as const, token, message: "Token created. Copy it now: it is not shown again." }, { status: 201 });
    }
    await revokeApiToken(parsed.value.id, undefined, user.id);
    return data({ ok: true as const, token: null, message: "Token revoked: calls with it now get 401." });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function Tokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Help-desk tools search certified answers with <code>GET /api/v1/search</code> and record uses with{" "}
        <code>POST /api/v1/answers/&lt;id&gt;/uses</code>. See <a href="/api/v1/openapi.json">the OpenAPI document</a>.
      </p>
      {result?.ok ? (
        <div className="notice success" role="status">
          <p>{result.message}</p>
          {result.token ? (
            <p>
              <code className="break">{result.token}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Scopes</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.scopes.join(", ")}</td>
              <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}</td>
              <td>
                {t.revokedAt ? (
                  `revoked ${formatDateTime(t.revokedAt)}`
                ) : (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="id" value={t.id} />
                    <button type="submit" className="danger">
                      Revoke
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="card" aria-labelledby="new-token">
        <h2 id="new-token">New token</h2>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <label htmlFor="name">Name (the tool that uses it)</label>
          <input id="name" name="name" />
          <FieldError id="name-error" errors={errors.name} />
          <fieldset>
            <legend>Scopes</legend>
            {TOKEN_SCOPES.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" name="scopes" value={s} defaultChecked={s === "search:read"} /> {s}
              </label>
            ))}
          </fieldset>
          <FieldError id="scopes-error" errors={errors.scopes} />
          <button type="submit" className="primary">
            Create token
          </button>
        </Form>
      </section>
    </>
  );
}
