import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!(["admin.users", "admin.topics", "admin.settings"] as const).some((a) => can(user.roles, a))) throw forbidden();
  return null;
}

export default function AdminLayout() {
  return (
    <div className="admin">
      <nav aria-label="Administration" className="subnav">
        <NavLink to="/admin/users">Users</NavLink>
        <NavLink to="/admin/topics">Topics and experts</NavLink>
        <NavLink to="/admin/settings">Public FAQ settings</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
