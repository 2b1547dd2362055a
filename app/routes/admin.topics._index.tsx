import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { TopicSchema } from "../models/admin.schema";
import { createTopic, listTopics } from "../models/topic.server";
import { CsrfInput } from "../ui/csrf-input";
import { TopicFields } from "../ui/topic-fields";
import { FieldError } from "../ui/field-error";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Topics · Admin · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.topics");
  return { topics: await listTopics() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.topics");
  const parsed = parseForm(await readForm(request), TopicSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const topic = await createTopic({ ...parsed.value, actorId: admin.id });
    return redirect(`/admin/topics/${topic.id}`);
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function AdminTopics() {
  const { topics } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Topics and experts</h1>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col">Experts</th>
            <th scope="col">Approvals needed</th>
            <th scope="col">Re-verify every</th>
          </tr>
        </thead>
        <tbody>
          {topics.map((t) => (
            <tr key={t.id}>
              <td>
                <Link to={`/admin/topics/${t.id}`}>{t.name}</Link>
              </td>
              <td>{t.experts.length > 0 ? t.experts.map((e) => e.displayName).join(", ") : <span className="badge warn">none</span>}</td>
              <td>{t.requiredApprovals}</td>
              <td>{t.reverifyIntervalDays} days</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="card" aria-labelledby="new-topic">
        <h2 id="new-topic">Add a topic</h2>
        <Form method="post" noValidate>
          <CsrfInput />
          <FieldError id="form-error" errors={errors.form} role="alert" />
          <TopicFields errors={errors} />
          <button type="submit" className="primary">
            Add topic
          </button>
        </Form>
      </section>
    </>
  );
}
