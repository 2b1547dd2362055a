import { useRouteLoaderData } from "@remix-run/react";

/** The hidden CSRF token every mutating form carries (checked by requireCsrf on the server). */
export function CsrfInput() {
  const root = useRouteLoaderData("root") as { csrf?: string } | undefined;
  return <input type="hidden" name="csrf" value={root?.csrf ?? ""} />;
}
