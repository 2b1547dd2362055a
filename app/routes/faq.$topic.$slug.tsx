import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FeedbackSchema } from "../models/faq.schema";
import { findFaqAnswer, getBranding, recordFaqFeedback } from "../models/faq.server";
import { faqOrigin } from "../models/faq-page.server";
import type { PublicHandle } from "../root";
import { CsrfInput } from "../ui/csrf-input";
import { FaqErrorBoundary } from "../ui/faq/error";
import { FaqAnswerPage } from "../ui/faq/pages";
import { answerHead, headToMeta } from "../ui/faq/seo";
import { liveFaqUrls } from "../ui/faq/urls";
import { FieldError } from "../ui/field-error";
import { invalid, parseForm, readForm } from "../utils/forms.server";
import { clientIp } from "../utils/http.server";

export const handle: PublicHandle = { publicFaq: true };
export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? headToMeta(data.head, data.branding.companyName) : []);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await findFaqAnswer(params.topic ?? "", params.slug ?? "");
  if (!found) throw new Response("No such answer", { status: 404 });
  // A renamed question (or a moved answer) keeps its old address as a permanent redirect.
  if (found.kind === "redirect") throw redirect(`/faq/${found.topicSlug}/${found.slug}`, 301);
  const origin = faqOrigin(request);
  const branding = await getBranding();
  const thanks = new URL(request.url).searchParams.get("feedback") === "thanks";
  return { origin, branding, answer: found.answer, thanks, head: answerHead(branding, liveFaqUrls(origin), found.answer) };
}

/** "Was this helpful?": no sign-in; CSRF by the anonymous double-submit cookie; one vote per address and answer a day. */
export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = parseForm(await readForm(request), FeedbackSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  const result = await recordFaqFeedback({
    topicSlug: params.topic ?? "",
    slug: params.slug ?? "",
    helpful: parsed.value.helpful === "yes",
    comment: parsed.value.comment,
    ip: clientIp(request),
  });
  if (!result.ok && result.reason === "not_found") throw new Response("No such answer", { status: 404 });
  if (!result.ok) return data({ ok: false as const, errors: { form: ["You already told us about this answer today. Thank you!"] } }, { status: 429 });
  return redirect(`/faq/${params.topic}/${params.slug}?feedback=thanks#feedback`, 303);
}

function Feedback({ thanks, errors }: { thanks: boolean; errors: Record<string, string[]> }) {
  return (
    <section className="fb" id="feedback" aria-labelledby="fb-h">
      <h2 id="fb-h">Was this helpful?</h2>
      {thanks ? (
        <p className="note" role="status">
          Thank you for your feedback.
        </p>
      ) : (
        <form method="post">
          <CsrfInput />
          {errors.form ? <p className="note err" role="alert">{errors.form.join(" ")}</p> : null}
          <fieldset>
            <legend>Did this answer your question?</legend>
            <label>
              <input type="radio" name="helpful" value="yes" required /> Yes
            </label>
            <label>
              <input type="radio" name="helpful" value="no" /> No
            </label>
            <FieldError id="helpful-error" errors={errors.helpful} />
          </fieldset>
          <label htmlFor="fb-comment">What could be better? (optional)</label>
          <textarea id="fb-comment" name="comment" maxLength={1000} />
          <FieldError id="comment-error" errors={errors.comment} />
          <button type="submit">Send feedback</button>
        </form>
      )}
    </section>
  );
}

export default function FaqAnswerRoute() {
  const { origin, branding, answer, thanks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return <FaqAnswerPage branding={branding} urls={liveFaqUrls(origin)} answer={answer} feedback={<Feedback thanks={thanks} errors={errors} />} />;
}

export const ErrorBoundary = FaqErrorBoundary;
