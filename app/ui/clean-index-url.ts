import { useLocation } from "@remix-run/react";
import { useEffect } from "react";

/**
 * Remix posts a page's forms to `<path>?index` when the page is an index route, and the address
 * bar keeps it after the post. Drop it from the address once the page shows the result: the
 * router keeps its own state, and a reload or a shared link reads the page without it.
 */
export function useCleanIndexUrl(): void {
  const location = useLocation();
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    if (!params.has("index")) return;
    params.delete("index");
    const search = params.toString();
    window.history.replaceState(window.history.state, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
  }, [location]);
}
