// Rate and flag from the framed panel: the same action as /search/feedback, under /panel so the
// panel's session and CSRF cookies (Path=/panel) come with it.
export { action } from "./search.feedback";
