// The panel's sign-in: the same form and checks as /login, answering under /panel so the session
// lands in the panel's own cookie (see isPanelRequest in session.server.ts).
export { action, default, headers, loader, meta } from "./login";
