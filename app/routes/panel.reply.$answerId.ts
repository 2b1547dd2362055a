// The panel's copy buttons fetch the reply here: the same loader as /answers/{id}/reply, under /panel.
export { loader } from "./answers.$answerId.reply";
