import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "../auth/session.server";
import { checkHealth } from "../models/health.server";
import { listSynonymGroups, saveSynonymGroups, SynonymsSchema } from "../models/synonyms.server";
import { addSuggestedSynonym, AddSuggestionSchema, synonymSuggestions } from "../learning/synonyms.server";
import { SynonymSuggestions } from "../ui/synonym-suggestions";
import { CsrfInput } from "../ui/csrf-input";
import { FieldError } from "../ui/field-error";
import { invalid, parseForm, readForm, type FieldErrors } from "../utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Synonyms · Admin · Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.synonyms");
  const [groups, health, suggestions] = await Promise.all([listSynonymGroups(), checkHealth(), synonymSuggestions()]);
  return { groups, search: health.search ?? null, suggestions };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.synonyms");
  const form = await readForm(request);
  if (form.get("intent") === "add-suggestion") {
    // A suggestion learned from agents' searches, added through the same synonyms model.
    const pair = parseForm(form, AddSuggestionSchema);
    if (!pair.ok) return invalid(pair.errors);
    await addSuggestedSynonym(pair.value, user.id);
    return data({ ok: true as const, message: `Added “${pair.value.searched}” and “${pair.value.answered}” as synonyms.` });
  }
  const parsed = parseForm(form, SynonymsSchema);
  if (!parsed.ok) return invalid(parsed.errors);
  await saveSynonymGroups(parsed.value.groups, user.id);
  return data({ ok: true as const, message: `Saved ${parsed.value.groups.length} synonym group${parsed.value.groups.length === 1 ? "" : "s"}.` });
}

export default function Synonyms() {
  const { groups, search, suggestions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result && !result.ok ? result.errors : {};
  return (
    <>
      <h1>Search</h1>
      {search ? (
        <section className="card" aria-labelledby="engine-heading">
          <h2 id="engine-heading">Engine</h2>
          <p>
            {search.engine === "postgres" ? "Embedded (PostgreSQL)" : "Meilisearch"} · {search.ok ? "healthy" : <strong className="field-error">unreachable</strong>} ·
            index {search.outboxPending === 0 ? "up to date" : `${search.outboxPending} change${search.outboxPending === 1 ? "" : "s"} behind, oldest ${search.outboxOldestSeconds} s`}
            {search.outboxFailing > 0 ? ` · ${search.outboxFailing} failing (retrying with backoff)` : ""}
          </p>
        </section>
      ) : null}
      <h2>Synonyms</h2>
      <p className="muted">
        One group per line, words or phrases separated by commas: a search for any of them also finds the others. Both search engines use
        them.
      </p>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.message}
        </p>
      ) : null}
      <SynonymSuggestions suggestions={suggestions} />
      <Form method="post">
        <CsrfInput />
        <label htmlFor="groups">Synonym groups</label>
        <textarea id="groups" name="groups" rows={12} defaultValue={groups.map((g) => g.join(", ")).join("\n")} aria-describedby="groups-error" />
        <FieldError id="groups-error" errors={errors.groups ?? errors.form} />
        <button type="submit" className="primary">
          Save synonyms
        </button>
      </Form>
    </>
  );
}
