/**
 * The meaning vectors of the resident copy (search/sentence-encoder.ts), several per answer (its
 * question and each author phrasing), and the nearest ones to a query's. Pure, like
 * search/resident.ts, which owns one of these and gives it the same slots.
 *
 * Each vector is kept as 512 signed bytes and a scale (a quarter of the memory of floats: 100,000
 * answers take ~60 MB), plus a 512-bit sign signature, and is filed under one of 1,024 fixed
 * cells of the sphere (search/meaning-cells.ts, ADR 023). `nearest` reads the cells closest to
 * the query until it holds PROBE vectors, compares their signatures (16 XOR-popcounts a vector)
 * and computes exact dot products only for the closest SHORTLIST: the usual inverted-file search
 * with binary-quantisation rescoring. The cells are fixed, not learnt from the answers, so what a
 * search finds depends only on the vectors present, never on the order they arrived in or on
 * which instance answers.
 */
import { COARSE_CELLS, FINE_CELLS, PACKED_CELLS } from "./meaning-cells";
import { DIMENSIONS } from "./sentence-encoder";
import { BYTES, unpackedCount } from "./vector-pack";

export { packVectors, unpackedCount } from "./vector-pack";

const WORDS = DIMENSIONS / 32;
const SHORTLIST = 300;
/** Vectors read per search: cells are taken, nearest first, until they hold this many. */
export const PROBE = 12_000;
/** Coarse cells whose fine cells are ranked first (the rest only if those hold too few vectors). */
const COARSE_PROBE = 12;

/** Set bits of every 16-bit number: two lookups count a word (the bit-twiddling way was slower). */
const BITS16 = new Uint8Array(65536);
for (let i = 1; i < 65536; i++) BITS16[i] = (i & 1) + BITS16[i >>> 1]!;

/** Bits that differ between the query's signature and the first `words` words of one at `base`. */
function hamming(q: Uint32Array, signs: Uint32Array, base: number, words: number): number {
  let d = 0;
  for (let w = 0; w < words; w++) {
    const x = q[w]! ^ signs[base + w]!;
    d += BITS16[x & 0xffff]! + BITS16[x >>> 16]!;
  }
  return d;
}

/** The cells' centroids as floats: COARSE_CELLS, then FINE_CELLS for each coarse cell in turn. */
let centroids: Float32Array | null = null;
function cellCentroids(): Float32Array {
  if (centroids) return centroids;
  const packed = Buffer.from(PACKED_CELLS, "base64");
  const n = unpackedCount(packed);
  const out = new Float32Array(n * DIMENSIONS);
  for (let i = 0; i < n; i++) {
    const scale = packed.readFloatLE(i * BYTES);
    for (let k = 0; k < DIMENSIONS; k++) out[i * DIMENSIONS + k] = packed.readInt8(i * BYTES + 4 + k) * scale;
  }
  return (centroids = out);
}

/** Dot product of centroid `c` with the vector at `base` of `v` (Float32Array only: one shape keeps it fast). */
function centroidDot(c: number, v: Float32Array, base: number, cs = cellCentroids()): number {
  const at = c * DIMENSIONS;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < DIMENSIONS; k += 4) {
    s0 += cs[at + k]! * v[base + k]!;
    s1 += cs[at + k + 1]! * v[base + k + 1]!;
    s2 += cs[at + k + 2]! * v[base + k + 2]!;
    s3 += cs[at + k + 3]! * v[base + k + 3]!;
  }
  return s0 + s1 + s2 + s3;
}

/** The best of `count` centroids from `first` for the vector (ties: the lower number). */
function bestCentroid(first: number, count: number, v: Float32Array, base: number): number {
  const cs = cellCentroids();
  let best = first;
  let bestDot = -Infinity;
  for (let c = first; c < first + count; c++) {
    const d = centroidDot(c, v, base, cs);
    if (d > bestDot) {
      best = c;
      bestDot = d;
    }
  }
  return best;
}

/** A vector's cell, 0 … COARSE_CELLS × FINE_CELLS − 1: its coarse cell, then the fine cell in it. */
function cellOf(v: Float32Array, base = 0): number {
  const coarse = bestCentroid(0, COARSE_CELLS, v, base);
  return bestCentroid(COARSE_CELLS + coarse * FINE_CELLS, FINE_CELLS, v, base) - COARSE_CELLS;
}

/** Scratch of VectorStore.set: one stored vector as floats, for cellOf, and its signature. */
const filing = new Float32Array(DIMENSIONS);
const signature = new Uint32Array(WORDS);

interface Cell {
  /** The first n entries hold the vectors' numbers… */
  at: Int32Array;
  /** …and their 512-bit sign signatures, WORDS words each. */
  signs: Uint32Array;
  n: number;
}

export class VectorStore {
  /** `probe`: vectors read per search (PROBE; tests and bench:search's recall check use others). */
  constructor(private readonly probe = PROBE) {}

  private values = new Int8Array(0);
  private scales = new Float32Array(0);
  private owner = new Int32Array(0);
  private used = 0;
  /** Per slot: first vector and count (0 = none). */
  private first: number[] = [];
  private count: number[] = [];
  private live = 0;
  /**
   * Per cell, the vectors filed under it and their signatures side by side, so that reading a
   * cell reads memory in order (removed vectors stay until the copy is rebuilt).
   */
  private cells: Cell[] = Array.from({ length: COARSE_CELLS * FINE_CELLS }, () => ({ at: new Int32Array(8), signs: new Uint32Array(8 * WORDS), n: 0 }));
  /** Per cell, a count that moves whenever a vector is filed under it or one of its vectors is removed. */
  private cellGen = new Uint32Array(COARSE_CELLS * FINE_CELLS);
  /** Per vector, its cell. */
  private cellOfAt = new Int32Array(0);
  /**
   * The last answer of nearest() for each query vector (the encoder hands out the same array for
   * a query asked again), with the cells it read and their counts then. While none of those cells
   * changed, a search would read the same vectors and give the same answer, so a write elsewhere
   * (which empties the result cache) does not cost the next asker the vectors' search again.
   */
  private memo = new WeakMap<Float32Array, { limit: number; cells: Int32Array; gens: Uint32Array; found: { slot: number; sim: number }[] }>();
  /** nearest() answers taken from the memo (for tests and benchmarks). */
  memoHits = 0;
  /** Scratch of nearest(): each vector's Hamming distance to the query. */
  private distance = new Uint16Array(0);
  private picked = new Int32Array(0);

  /** Slots that have vectors. */
  get size(): number {
    return this.live;
  }

  private grow(extra: number) {
    if (this.used + extra <= this.scales.length) return;
    const n = Math.max(1024, (this.used + extra) * 2);
    const values = new Int8Array(n * DIMENSIONS);
    values.set(this.values);
    const scales = new Float32Array(n);
    scales.set(this.scales);
    const owner = new Int32Array(n).fill(-1);
    owner.set(this.owner);
    const cellOfAt = new Int32Array(n);
    cellOfAt.set(this.cellOfAt);
    Object.assign(this, { values, scales, owner, cellOfAt });
  }

  /** Gives a slot its vectors (packed as packVectors made them); a slot is set once. */
  set(slot: number, packed: Uint8Array): void {
    const n = unpackedCount(packed);
    if (n === 0) return;
    this.grow(n);
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    this.first[slot] = this.used;
    this.count[slot] = n;
    const bytes = new Int8Array(packed.buffer, packed.byteOffset, packed.byteLength);
    for (let i = 0; i < n; i++) {
      const at = this.used++;
      this.scales[at] = view.getFloat32(i * BYTES, true);
      this.owner[at] = slot;
      const from = i * BYTES + 4;
      const base = at * DIMENSIONS;
      this.values.set(bytes.subarray(from, from + DIMENSIONS), base);
      const values = this.values;
      signature.fill(0);
      for (let k = 0; k < DIMENSIONS; k++) {
        const q = values[base + k]!;
        filing[k] = q;
        if (q > 0) signature[k >> 5]! |= 1 << (k & 31);
      }
      const c = cellOf(filing);
      this.cellOfAt[at] = c;
      this.cellGen[c]!++;
      const cell = this.cells[c]!;
      if (cell.n === cell.at.length) {
        const more = { at: new Int32Array(cell.n * 2), signs: new Uint32Array(cell.n * 2 * WORDS) };
        more.at.set(cell.at);
        more.signs.set(cell.signs);
        Object.assign(cell, more);
      }
      cell.at[cell.n] = at;
      cell.signs.set(signature, cell.n * WORDS);
      cell.n++;
    }
    this.live++;
  }

  /** A removed slot's vectors are no longer found (their space is reclaimed when the copy is rebuilt). */
  kill(slot: number): void {
    const n = this.count[slot] ?? 0;
    if (n === 0) return;
    for (let i = this.first[slot]!; i < this.first[slot]! + n; i++) {
      this.owner[i] = -1;
      this.cellGen[this.cellOfAt[i]!]!++;
    }
    this.count[slot] = 0;
    this.live--;
  }

  has(slot: number): boolean {
    return (this.count[slot] ?? 0) > 0;
  }

  private dot(at: number, query: Float32Array): number {
    const base = at * DIMENSIONS;
    const values = this.values;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < DIMENSIONS; k += 4) {
      s0 += values[base + k]! * query[k]!;
      s1 += values[base + k + 1]! * query[k + 1]!;
      s2 += values[base + k + 2]! * query[k + 2]!;
      s3 += values[base + k + 3]! * query[k + 3]!;
    }
    return (s0 + s1 + s2 + s3) * this.scales[at]!;
  }

  /** The slot's best cosine with the query over its vectors; -1 when it has none. */
  similarity(slot: number, query: Float32Array): number {
    const n = this.count[slot] ?? 0;
    let best = -1;
    for (let i = this.first[slot]!; i < this.first[slot]! + n; i++) best = Math.max(best, this.dot(i, query));
    return best;
  }

  /**
   * The vectors to compare with the query: every one when there are few; else the members of the
   * cells nearest the query, cell by cell, until PROBE of them are live and pass `ok`.
   */
  private candidates(query: Float32Array, q: Uint32Array, ok: ((slot: number) => boolean) | null, visit: (at: number, distance: number) => void, cellsRead: number[]): void {
    const { owner } = this;
    /** Compares the cell's live vectors that pass `ok`; returns how many. */
    const read = (cell: Cell) => {
      let taken = 0;
      for (let i = 0; i < cell.n; i++) {
        const at = cell.at[i]!;
        const slot = owner[at]!;
        if (slot < 0 || (ok && !ok(slot))) continue;
        visit(at, hamming(q, cell.signs, i * WORDS, WORDS));
        taken++;
      }
      return taken;
    };
    if (this.used <= this.probe) {
      this.cells.forEach((cell, c) => {
        cellsRead.push(c);
        read(cell);
      });
      return;
    }
    const coarse = Array.from({ length: COARSE_CELLS }, (_, c) => ({ c, d: centroidDot(c, query, 0) })).sort((a, b) => b.d - a.d || a.c - b.c);
    let found = 0;
    for (const [from, to] of [[0, COARSE_PROBE], [COARSE_PROBE, COARSE_CELLS]] as const) {
      const fine = coarse
        .slice(from, to)
        .flatMap(({ c }) => Array.from({ length: FINE_CELLS }, (_, f) => c * FINE_CELLS + f))
        .map((cell) => ({ cell, d: centroidDot(COARSE_CELLS + cell, query, 0) }))
        .sort((a, b) => b.d - a.d || a.cell - b.cell);
      for (const { cell } of fine) {
        // Empty cells keep their place in the order and are noted: once one holds vectors, it is read.
        cellsRead.push(cell);
        if (this.cells[cell]!.n === 0) continue;
        found += read(this.cells[cell]!);
        if (found >= this.probe) return;
      }
    }
  }

  /** Up to `limit` slots that pass `ok`, by their best cosine with the query, best first. */
  nearest(query: Float32Array, limit: number, ok: ((slot: number) => boolean) | null, key: (slot: number) => string): { slot: number; sim: number }[] {
    if (this.live === 0) return [];
    // Unfiltered searches only: a filter's answer depends on more than the cells.
    const kept = ok ? undefined : this.memo.get(query);
    if (kept && kept.limit === limit && kept.cells.every((c, i) => this.cellGen[c] === kept.gens[i])) {
      this.memoHits++;
      return kept.found;
    }
    if (this.distance.length < this.used) {
      this.distance = new Uint16Array(this.scales.length);
      this.picked = new Int32Array(this.scales.length);
    }
    const { distance, picked } = this;
    const q = new Uint32Array(WORDS);
    for (let k = 0; k < DIMENSIONS; k++) if (query[k]! > 0) q[k >> 5]! |= 1 << (k & 31);
    // Whole signatures keep the closest SHORTLIST (+ limit) for exact cosines; a bucket per
    // distance keeps it linear.
    const buckets = new Uint32Array(DIMENSIONS + 1);
    let n = 0;
    const cellsRead: number[] = [];
    this.candidates(
      query,
      q,
      ok,
      (at, d) => {
        distance[at] = d;
        picked[n++] = at;
        buckets[d]!++;
      },
      cellsRead,
    );
    let cut = 0;
    for (let seen = 0; cut <= DIMENSIONS && seen + buckets[cut]! <= SHORTLIST + limit; cut++) seen += buckets[cut]!;
    const shortlist: number[] = [];
    for (let i = 0; i < n; i++) if (distance[picked[i]!]! <= cut) shortlist.push(picked[i]!);
    const found = this.bestSlots(shortlist, query, limit, key);
    if (!ok) {
      const cells = Int32Array.from(cellsRead);
      this.memo.set(query, { limit, cells, gens: Uint32Array.from(cells, (c) => this.cellGen[c]!), found });
    }
    return found;
  }

  /** Forgets every remembered nearest() answer (bench:search measures the search itself). */
  forgetNearest(): void {
    this.memo = new WeakMap();
  }

  /** The slots of the vectors `ats`, each at its best exact cosine, best first, ties by key. */
  private bestSlots(ats: Iterable<number>, query: Float32Array, limit: number, key: (slot: number) => string): { slot: number; sim: number }[] {
    const best = new Map<number, number>();
    for (const at of ats) {
      const slot = this.owner[at]!;
      if (slot < 0) continue;
      const sim = this.dot(at, query);
      if (sim > (best.get(slot) ?? -2)) best.set(slot, sim);
    }
    return [...best]
      .map(([slot, sim]) => ({ slot, sim }))
      .sort((a, b) => b.sim - a.sim || (key(a.slot) < key(b.slot) ? -1 : key(a.slot) > key(b.slot) ? 1 : 0))
      .slice(0, limit);
  }

  /** The same by an exact cosine with every vector (bench:search compares the two). */
  nearestExact(query: Float32Array, limit: number, key: (slot: number) => string): { slot: number; sim: number }[] {
    return this.bestSlots(Array.from({ length: this.used }, (_, at) => at), query, limit, key);
  }
}
