// "Copied" and "Used in reply" from the framed panel: the same action as /search/use, under /panel
// so the panel's session and CSRF cookies (Path=/panel) come with it.
export { action } from "./search.use";
