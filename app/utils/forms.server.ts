import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import type { z } from "zod";
import { requireCsrf } from "../auth/csrf.server";
import { DomainError } from "./errors";

/** Field errors a form shows beside its inputs; `form` holds errors about the whole form. */
export type FieldErrors = Record<string, string[]>;

const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

function refuse(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * Reads a posted form. Whatever else arrives (JSON, a body that does not parse, text with NUL
 * characters that PostgreSQL cannot store) is a 4xx with a message, never a 500 later on.
 */
export async function readFormData(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("content-type") ?? "")) {
    throw refuse(415, "This address takes a form (application/x-www-form-urlencoded or multipart/form-data).");
  }
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw refuse(400, "The form could not be read; send it again.");
  }
  for (const [name, value] of formData) {
    if (typeof value === "string" && value.includes("\0")) throw refuse(400, `The field "${name.slice(0, 40)}" contains a NUL character; remove it and send the form again.`);
  }
  return formData;
}

/** Reads the posted form and checks its CSRF token before anything else looks at it. */
export async function readForm(request: Request): Promise<FormData> {
  const formData = await readFormData(request);
  await requireCsrf(request, formData);
  return formData;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Parses form data with a zod schema (conform coerces strings, checkboxes and repeated fields). */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S): Parsed<z.output<S>> {
  const submission = parseWithZod(formData, { schema });
  if (submission.status === "success") return { ok: true, value: submission.value as z.output<S> };
  const errors: FieldErrors = {};
  for (const [key, messages] of Object.entries(submission.error ?? {})) {
    if (messages && messages.length > 0) errors[key || "form"] = messages;
  }
  return { ok: false, errors };
}

/** 400 with field errors, as every action answers bad input. */
export function invalid(errors: FieldErrors, status = 400) {
  return data({ ok: false as const, errors }, { status });
}

/** A DomainError becomes a response with its status and the message beside its field. */
export function domainErrorResponse(error: unknown) {
  if (error instanceof DomainError) {
    return invalid({ [error.details.field ?? "form"]: [error.message] }, error.status);
  }
  throw error;
}

/** Parses a query string with a zod schema (empty parameters count as absent), for GET filters. */
export function parseQuery<S extends z.ZodType>(params: URLSearchParams, schema: S): Parsed<z.output<S>> {
  const input = Object.fromEntries([...params].filter(([, v]) => v !== ""));
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) (errors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return { ok: false, errors };
}
