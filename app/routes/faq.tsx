import type { MetaFunction } from "@remix-run/node";
import { ComingSoon } from "../ui/coming-soon";

export const meta: MetaFunction = () => [{ title: "FAQ · Vetted" }];

/** The public FAQ needs no sign-in. */
export default function Faq() {
  return <ComingSoon title="Public FAQ">The public FAQ is built from certified public answers, which arrive next.</ComingSoon>;
}
