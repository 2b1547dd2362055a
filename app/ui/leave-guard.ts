import { useBlocker } from "@remix-run/react";
import { useCallback, useEffect, useRef } from "react";

export const LEAVE_MESSAGE = "Leave this page? Your changes are not saved yet.";

/**
 * Warns before leaving an editor with unsaved changes: the browser's own "leave site?" dialog for
 * reloads, closing the tab and typed addresses, and a confirm for links inside the app. Returns
 * an onSubmit handler for the editor's form, because saving is the one way out that needs no warning.
 */
export function useLeaveGuard(dirty: boolean): { onSubmit: () => void } {
  const submitting = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !submitting.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(LEAVE_MESSAGE)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (submitting.current) return;
      event.preventDefault();
      // Older browsers show the dialog only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);
  const onSubmit = useCallback(() => {
    submitting.current = true;
  }, []);
  return { onSubmit };
}
