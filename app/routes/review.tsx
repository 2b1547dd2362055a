import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { can } from "../auth/policy";
import { forbidden, requireUser } from "../auth/session.server";
import { ComingSoon } from "../ui/coming-soon";

export const meta: MetaFunction = () => [{ title: "Review · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!can(user.roles, "answer.review") && !can(user.roles, "answer.certify")) throw forbidden();
  return null;
}

export default function Review() {
  return (
    <ComingSoon title="Review">
      The expert review queue and the certification queue arrive with the approval workflow.
    </ComingSoon>
  );
}
