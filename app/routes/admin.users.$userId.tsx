import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ROLE_LABELS, ROLES, type Role } from "../auth/policy";
import { requirePermission } from "../auth/session.server";
import { RolesField } from "../models/admin.schema";
import { getUserById, setUserActive, setUserRoles } from "../models/user.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "User · Admin · Vetted" }];

const Uuid = z.uuid();

const UserActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("roles"), roles: RolesField }),
  z.object({ intent: z.literal("deactivate") }),
  z.object({ intent: z.literal("reactivate") }),
]);

async function loadUser(id: string | undefined) {
  const parsed = Uuid.safeParse(id);
  const user = parsed.success ? await getUserById(parsed.data) : undefined;
  if (!user) throw new Response("No user has this address.", { status: 404 });
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.users");
  const u = await loadUser(params.userId);
  return {
    user: { id: u.id, email: u.email, displayName: u.displayName, roles: u.roles as Role[], active: u.active, invited: !u.passwordHash },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.users");
  const user = await loadUser(params.userId);
  const parsed = parseForm(await readForm(request), UserActionSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const v = parsed.value;
    if (v.intent === "roles") await setUserRoles({ userId: user.id, roles: v.roles, actorId: admin.id });
    else await setUserActive({ userId: user.id, active: v.intent === "reactivate", actorId: admin.id });
    const message = v.intent === "roles" ? "Roles saved." : v.intent === "deactivate" ? "User deactivated; their sessions have ended." : "User reactivated.";
    return data({ ok: true as const, message });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function AdminUser() {
  const { user } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <>
      <p>
        <Link to="/admin/users">← All users</Link>
      </p>
      <h1>{user.displayName}</h1>
      <p className="muted">
        {user.email} · {user.active ? "Active" : "Deactivated"}
        {user.invited ? " · invite not accepted yet" : ""}
      </p>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      <FieldError id="form-error" errors={errors.form} role="alert" />
      <section className="card">
        <h2>Roles</h2>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="roles" />
          <fieldset>
            <legend className="visually-hidden">Roles</legend>
            {ROLES.map((r) => (
              <label key={r} className="check">
                <input type="checkbox" name="roles" value={r} defaultChecked={user.roles.includes(r)} /> {ROLE_LABELS[r]}
              </label>
            ))}
          </fieldset>
          <FieldError id="roles-error" errors={errors.roles} />
          <button type="submit" className="primary">
            Save roles
          </button>
        </Form>
      </section>
      <section className="card">
        <h2>Access</h2>
        <Form method="post">
          <CsrfInput />
          {user.active ? (
            <>
              <p>Deactivating signs the user out everywhere and stops them signing in. Nothing they wrote is lost.</p>
              <button type="submit" name="intent" value="deactivate" className="danger">
                Deactivate
              </button>
            </>
          ) : (
            <button type="submit" name="intent" value="reactivate" className="primary">
              Reactivate
            </button>
          )}
        </Form>
      </section>
    </>
  );
}
