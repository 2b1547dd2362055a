/**
 * npm run search:train-cells — computes search/meaning-cells.ts, the fixed cells that
 * VectorStore.nearest reads instead of every vector (ADR 023). Run it again only when the
 * sentence encoder's model changes: the cells belong to the model, not to any customer's answers.
 *
 * Sentences: ~24,000 real questions, utterances and opening lines of forum messages from the
 * development sets' text (bench/eval/README.md says where each came from), encoded by the model.
 * Two levels of k-means (32 coarse cells, 32 fine cells in each), so that placing a vector costs
 * 64 dot products instead of 1,024. Seeded: the same model and text give the same file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { DIMENSIONS, encodeSentences } from "./sentence-encoder";

const COARSE = 32;
const FINE = 32;
const SAMPLE = Number(process.env.SAMPLE ?? 24_000);
const ITERATIONS = 25;

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
type Pool = { kind: "thread"; subject: string; body: string; comments: string[] } | { kind: "utterance"; text: string };
const pool = gunzipSync(readFileSync(path.join(root, "bench/search-text.jsonl.gz")))
  .toString("utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Pool);
const short = [...new Set(pool.flatMap((p) => (p.kind === "utterance" ? [p.text] : [p.subject])))].filter((t) => t.trim().length >= 3);
const long = pool.flatMap((p) => (p.kind === "thread" ? [p.body] : [])).filter((t) => t.split(" ").length >= 8);
const every = <T>(xs: T[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);
const texts = [...every(short, Math.round(SAMPLE * 0.85)), ...every(long, Math.round(SAMPLE * 0.15))];

let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < DIMENSIONS; k++) s += a[k]! * b[k]!;
  return s;
}

/** Spherical k-means (cosine), seeded with k-means++; returns unit centroids. */
function kMeans(points: Float32Array[], k: number): Float32Array[] {
  if (points.length <= k) return points.map((p) => Float32Array.from(p));
  const centroids: Float32Array[] = [Float32Array.from(points[Math.floor(rand() * points.length)]!)];
  const far = new Float64Array(points.length).fill(Infinity);
  while (centroids.length < k) {
    const last = centroids.at(-1)!;
    let total = 0;
    points.forEach((p, i) => {
      far[i] = Math.min(far[i]!, Math.max(0, 1 - dot(p, last)));
      total += far[i]!;
    });
    let r = rand() * total;
    let pick = points.length - 1;
    for (let i = 0; i < points.length; i++) if ((r -= far[i]!) <= 0) { pick = i; break; }
    centroids.push(Float32Array.from(points[pick]!));
  }
  const assigned = new Int32Array(points.length);
  for (let it = 0; it < ITERATIONS; it++) {
    let moved = 0;
    points.forEach((p, i) => {
      let best = 0;
      let bestSim = -Infinity;
      centroids.forEach((c, j) => {
        const s = dot(p, c);
        if (s > bestSim) [best, bestSim] = [j, s];
      });
      if (assigned[i] !== best) moved++;
      assigned[i] = best;
    });
    const sums = centroids.map(() => new Float32Array(DIMENSIONS));
    points.forEach((p, i) => {
      const s = sums[assigned[i]!]!;
      for (let d = 0; d < DIMENSIONS; d++) s[d]! += p[d]!;
    });
    sums.forEach((s, j) => {
      const norm = Math.sqrt(dot(s, s));
      // An empty cell keeps its centroid.
      if (norm > 0) centroids[j] = s.map((x) => x / norm);
    });
    if (moved === 0) break;
  }
  return centroids;
}

const t0 = performance.now();
const vectors = (await encodeSentences(texts.map((t) => t.trim()), 32)).filter((v) => v.some((x) => x !== 0));
console.log(`encoded ${vectors.length} sentences in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const coarse = kMeans(vectors, COARSE);
const groups = coarse.map(() => [] as Float32Array[]);
for (const v of vectors) {
  let best = 0;
  coarse.forEach((c, j) => {
    if (dot(v, c) > dot(v, coarse[best]!)) best = j;
  });
  groups[best]!.push(v);
}
const fine = groups.map((g, j) => {
  const cells = kMeans(g, FINE);
  // A coarse cell with fewer sentences than FINE repeats its own centroid: those cells stay empty.
  while (cells.length < FINE) cells.push(Float32Array.from(coarse[j]!));
  return cells;
});
console.log(`cells: ${COARSE} × ${FINE}; sentences per coarse cell: ${groups.map((g) => g.length).join(" ")}`);

// Stored as int8 with one scale per centroid (packVectors' layout), base64 in a module, so the
// server bundle carries it and no file has to be found at run time.
const { packVectors } = await import("./vector-pack");
const packed = packVectors([...coarse, ...fine.flat()]).toString("base64");
const out = path.join(root, "search/meaning-cells.ts");
writeFileSync(
  out,
  `// Generated by \`npm run search:train-cells\` (search/train-meaning-cells.ts); do not edit.\n` +
    `// ${COARSE} coarse then ${COARSE} × ${FINE} fine unit centroids, as packVectors packs them.\n` +
    `export const COARSE_CELLS = ${COARSE};\nexport const FINE_CELLS = ${FINE};\nexport const PACKED_CELLS =\n  "${packed}";\n`,
);
console.log(`wrote ${out} (${Math.round(packed.length / 1024)} KB) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
