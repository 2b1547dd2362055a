import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "../auth/session.server";
import { TopicSchema } from "../models/admin.schema";
import { listTopics, setTopicExperts, updateTopic } from "../models/topic.server";
import { listUsers } from "../models/user.server";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { TopicFields } from "../ui/topic-fields";
import { domainErrorResponse, invalid, parseForm, readForm } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Topic · Admin · Vetted" }];

const TopicActionSchema = z.discriminatedUnion("intent", [
  TopicSchema.extend({ intent: z.literal("details") }),
  z.object({ intent: z.literal("experts"), experts: z.array(z.uuid("Unknown user")).default([]) }),
]);

async function loadTopic(id: string | undefined) {
  const topic = (await listTopics()).find((t) => t.id === id);
  if (!topic) throw new Response("No topic has this address.", { status: 404 });
  return topic;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.topics");
  const topic = await loadTopic(params.topicId);
  const { users } = await listUsers({ pageSize: 1000 });
  return { topic, candidates: users.filter((u) => u.active && u.roles.includes("expert")) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.topics");
  const topic = await loadTopic(params.topicId);
  const parsed = parseForm(await readForm(request), TopicActionSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  try {
    const v = parsed.value;
    if (v.intent === "details") {
      const { intent: _intent, ...values } = v;
      await updateTopic({ ...values, id: topic.id, actorId: admin.id });
    } else {
      await setTopicExperts({ topicId: topic.id, userIds: v.experts, actorId: admin.id });
    }
    return data({ ok: true as const, message: v.intent === "details" ? "Topic saved." : "Experts saved." });
  } catch (error) {
    return domainErrorResponse(error);
  }
}

export default function AdminTopic() {
  const { topic, candidates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  return (
    <>
      <p>
        <Link to="/admin/topics">← All topics</Link>
      </p>
      <h1>{topic.name}</h1>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      <FieldError id="form-error" errors={errors.form} role="alert" />
      <section className="card">
        <h2>Details</h2>
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="details" />
          <TopicFields values={topic} errors={errors} />
          <button type="submit" className="primary">
            Save topic
          </button>
        </Form>
      </section>
      <section className="card">
        <h2>Experts</h2>
        <p className="muted">Experts review drafts in this topic. Only users with the expert reviewer role are listed.</p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="experts" />
          <fieldset>
            <legend className="visually-hidden">Experts of {topic.name}</legend>
            {candidates.map((u) => (
              <label key={u.id} className="check">
                <input type="checkbox" name="experts" value={u.id} defaultChecked={topic.experts.some((e) => e.id === u.id)} />{" "}
                {u.displayName} <small className="muted">{u.email}</small>
              </label>
            ))}
          </fieldset>
          <FieldError id="experts-error" errors={errors.experts} />
          <button type="submit" className="primary">
            Save experts
          </button>
        </Form>
      </section>
    </>
  );
}
