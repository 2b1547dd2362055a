import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { can, type Action } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";

const SECTIONS: { to: string; label: string; action: Action }[] = [
  { to: "/admin/users", label: "Users", action: "admin.users" },
  { to: "/admin/topics", label: "Topics and experts", action: "admin.topics" },
  { to: "/admin/synonyms", label: "Search and synonyms", action: "admin.synonyms" },
  { to: "/admin/tokens", label: "API tokens", action: "admin.tokens" },
  { to: "/admin/settings", label: "Settings", action: "admin.settings" },
  { to: "/admin/sso", label: "Single sign-on", action: "admin.settings" },
  { to: "/admin/audit", label: "Audit log", action: "admin.audit" },
  { to: "/admin/mail", label: "Email", action: "admin.settings" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sections = SECTIONS.filter((s) => can(user.roles, s.action)).map(({ to, label }) => ({ to, label }));
  if (sections.length === 0) throw forbidden();
  return { sections };
}

export default function AdminLayout() {
  const { sections } = useLoaderData<typeof loader>();
  return (
    <div className="admin">
      <nav aria-label="Administration" className="subnav">
        {sections.map((s) => (
          <NavLink key={s.to} to={s.to}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
