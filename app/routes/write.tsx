import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requirePermission } from "../auth/session.server";
import { ComingSoon } from "../ui/coming-soon";

export const meta: MetaFunction = () => [{ title: "Write · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "answer.draft");
  return null;
}

export default function Write() {
  return (
    <ComingSoon title="Write">
      Drafting answers in the rich-text editor, and the wiki, blog and forum, arrive with the approval workflow and
      collaboration features.
    </ComingSoon>
  );
}
