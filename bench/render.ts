// `npm run bench:render`: validating and rendering hostile rich text (bench/render-corpus.ts):
// span bombs, the largest tables the limits allow, deep nesting, long runs of marks. For each
// document: whether the validator accepts it, and p50/p95/max of validation (a save) and of
// rendering (a wiki page view renders on every request). Budget: rendering any accepted
// document ≤ 50 ms at p95 (max is printed too: on a shared machine it includes GC pauses and
// other processes); exits 1 when a document is over it or is not accepted/refused as labelled.
import { renderDocument, validateDocument } from "../app/editor/document.server";
import { hostileCorpus } from "./render-corpus";

const RUNS = Number(process.env.RUNS ?? 30);
const BUDGET_MS = 50;

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}
const f = (n: number) => n.toFixed(1).padStart(6);

let failed = false;
const allRenders: number[] = [];
console.log(`${RUNS} runs each (after 3 warm-up runs); times in ms\n`);
console.log(`${"document".padEnd(52)} ${"KB".padStart(5)}  verdict   validate p50/p95/max    render p50/p95/max`);
for (const { name, doc, accepted } of hostileCorpus()) {
  const kb = Buffer.byteLength(JSON.stringify(doc)) / 1024;
  const validations: number[] = [];
  const renders: number[] = [];
  let verdict = validateDocument(doc);
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = performance.now();
    verdict = validateDocument(doc);
    const t1 = performance.now();
    if (i >= 3) validations.push(t1 - t0);
    if (verdict.ok) {
      const t2 = performance.now();
      renderDocument(verdict.doc);
      if (i >= 3) renders.push(performance.now() - t2);
    }
  }
  const v = stats(validations);
  const r = renders.length ? stats(renders) : null;
  allRenders.push(...renders);
  const wrong = verdict.ok !== accepted;
  const over = r !== null && r.p95 > BUDGET_MS;
  if (wrong || over) failed = true;
  console.log(
    `${name.slice(0, 52).padEnd(52)} ${kb.toFixed(0).padStart(5)}  ${(verdict.ok ? "accepted" : "refused ").padEnd(8)}  ${f(v.p50)} ${f(v.p95)} ${f(v.max)}   ${r ? `${f(r.p50)} ${f(r.p95)} ${f(r.max)}` : "     —"}${wrong ? "  ✗ expected " + (accepted ? "accepted" : "refused") : ""}${over ? "  ✗ over budget" : ""}`,
  );
  if (!verdict.ok) console.log(`${"".padEnd(60)}“${verdict.message}”`);
}
const all = stats(allRenders);
console.log(`\nall accepted documents, render: p50 ${all.p50.toFixed(1)} ms, p95 ${all.p95.toFixed(1)} ms, max ${all.max.toFixed(1)} ms (budget: p95 of each ≤ ${BUDGET_MS} ms): ${failed ? "FAILED" : "ok"}`);
process.exit(failed ? 1 : 0);
