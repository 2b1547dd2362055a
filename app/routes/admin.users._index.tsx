import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ROLE_LABELS, ROLES } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { CreateUserSchema } from "../models/admin.schema";
import { pageParam } from "../models/content-actions.server";
import { createUserWithInvite, listUsers } from "../models/user.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { Pagination } from "../ui/pagination";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Users · Admin · Vetted" }];

const PAGE_SIZE = 25;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.users");
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.slice(0, 200) ?? "";
  const page = pageParam(url);
  const { users, total } = await listUsers({ q, page, pageSize: PAGE_SIZE });
  return { q, page, total, pageSize: PAGE_SIZE, users };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.users");
  const parsed = parseForm(await readForm(request), CreateUserSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const baseUrl = new URL(request.url).origin;
    const { user, inviteUrl } = await createUserWithInvite({ ...parsed.value, actorId: admin.id, baseUrl });
    return data({ ok: true as const, created: { id: user.id, email: user.email, inviteUrl } }, { status: 201 });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function AdminUsers() {
  const { q, page, total, pageSize, users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Users</h1>
      <Form method="get" role="search" className="inline-form">
        <label htmlFor="q">Find a user</label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder="name or email" />
        <button type="submit">Search</button>
      </Form>
      <p className="muted">
        {`${total} user${total === 1 ? "" : "s"}${q ? ` matching “${q}”` : ""}`}
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`/admin/users/${u.id}`}>{u.displayName}</Link>
              </td>
              <td>{u.email}</td>
              <td>{u.roles.map((r) => ROLE_LABELS[r]).join(", ")}</td>
              <td>{u.active ? "Active" : <span className="badge warn">Deactivated</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={page} pageSize={pageSize} total={total} params={{ q }} />

      <section className="card" aria-labelledby="new-user">
        <h2 id="new-user">Add a user</h2>
        {result?.ok ? (
          <div className="notice success" role="status">
            <p>
              Created <strong>{result.created.email}</strong>. Send them this one-time invite link (also printed in the
              server log); it is valid for 7 days and is not shown again:
            </p>
            <p>
              <code className="break">{result.created.inviteUrl}</code>
            </p>
          </div>
        ) : null}
        <Form method="post" noValidate>
          <CsrfInput />
          <FieldError id="new-form-error" errors={errors.form} role="alert" />
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" required />
          <FieldError id="email-error" errors={errors.email} />
          <label htmlFor="displayName">Name</label>
          <input id="displayName" name="displayName" required />
          <FieldError id="displayName-error" errors={errors.displayName} />
          <fieldset>
            <legend>Roles</legend>
            {ROLES.map((r) => (
              <label key={r} className="check">
                {/* Nothing ticked by default: an agent created with Employee pre-ticked could write answers. */}
                <input type="checkbox" name="roles" value={r} /> {ROLE_LABELS[r]}
              </label>
            ))}
          </fieldset>
          <FieldError id="roles-error" errors={errors.roles} />
          <button type="submit" className="primary">
            Create user and invite link
          </button>
        </Form>
      </section>
    </>
  );
}
