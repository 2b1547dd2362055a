/**
 * The meaning vectors of the resident copy (search/sentence-encoder.ts), several per answer (its
 * question and each author phrasing), and the nearest ones to a query's. Pure, like
 * search/resident.ts, which owns one of these and gives it the same slots.
 *
 * Each vector is kept as 512 signed bytes and a scale (a quarter of the memory of floats: 100,000
 * answers take ~60 MB), plus a 512-bit sign signature. `nearest` compares signatures first (16
 * XOR-popcounts a vector) and computes exact dot products only for the closest SHORTLIST, the
 * usual binary-quantisation rescoring: on the development sets it returned the same top 100.
 */
import { DIMENSIONS } from "./sentence-encoder";

const WORDS = DIMENSIONS / 32;
const BYTES = 4 + DIMENSIONS;
const SHORTLIST = 300;
/** The first stage reads this many words of each signature and keeps this many vectors. */
const PREFIX_WORDS = 4;
const PREFIX_KEEP = 5000;

/**
 * Vectors as stored in search_documents.vectors: per vector, a float32 scale and 512 int8. A
 * weight below 1 scales the stored vector, so its cosine with any query counts that much less.
 */
export function packVectors(vectors: readonly Float32Array[], weights?: readonly number[]): Buffer {
  const out = Buffer.alloc(vectors.length * BYTES);
  vectors.forEach((v, i) => {
    let max = 0;
    for (const x of v) max = Math.max(max, Math.abs(x));
    const scale = max > 0 ? max / 127 : 0;
    out.writeFloatLE(scale * (weights?.[i] ?? 1), i * BYTES);
    for (let k = 0; k < DIMENSIONS; k++) out.writeInt8(scale > 0 ? Math.round(v[k]! / scale) : 0, i * BYTES + 4 + k);
  });
  return out;
}

export function unpackedCount(packed: Uint8Array): number {
  return Math.floor(packed.length / BYTES);
}

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

export class VectorStore {
  private values = new Int8Array(0);
  private scales = new Float32Array(0);
  private signs = new Uint32Array(0);
  private owner = new Int32Array(0);
  private used = 0;
  /** Per slot: first vector and count (0 = none). */
  private first: number[] = [];
  private count: number[] = [];
  private live = 0;
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
    const signs = new Uint32Array(n * WORDS);
    signs.set(this.signs);
    const owner = new Int32Array(n).fill(-1);
    owner.set(this.owner);
    Object.assign(this, { values, scales, signs, owner });
  }

  /** Gives a slot its vectors (packed as packVectors made them); a slot is set once. */
  set(slot: number, packed: Uint8Array): void {
    const n = unpackedCount(packed);
    if (n === 0) return;
    this.grow(n);
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    this.first[slot] = this.used;
    this.count[slot] = n;
    for (let i = 0; i < n; i++) {
      const at = this.used++;
      this.scales[at] = view.getFloat32(i * BYTES, true);
      this.owner[at] = slot;
      for (let k = 0; k < DIMENSIONS; k++) {
        const q = view.getInt8(i * BYTES + 4 + k);
        this.values[at * DIMENSIONS + k] = q;
        if (q > 0) this.signs[at * WORDS + (k >> 5)]! |= 1 << (k & 31);
      }
    }
    this.live++;
  }

  /** A removed slot's vectors are no longer found (their space is reclaimed when the copy is rebuilt). */
  kill(slot: number): void {
    const n = this.count[slot] ?? 0;
    if (n === 0) return;
    for (let i = this.first[slot]!; i < this.first[slot]! + n; i++) this.owner[i] = -1;
    this.count[slot] = 0;
    this.live--;
  }

  has(slot: number): boolean {
    return (this.count[slot] ?? 0) > 0;
  }

  private dot(at: number, query: Float32Array): number {
    const base = at * DIMENSIONS;
    const values = this.values;
    let s = 0;
    for (let k = 0; k < DIMENSIONS; k++) s += values[base + k]! * query[k]!;
    return s * this.scales[at]!;
  }

  /** The slot's best cosine with the query over its vectors; -1 when it has none. */
  similarity(slot: number, query: Float32Array): number {
    const n = this.count[slot] ?? 0;
    let best = -1;
    for (let i = this.first[slot]!; i < this.first[slot]! + n; i++) best = Math.max(best, this.dot(i, query));
    return best;
  }

  /** Up to `limit` slots that pass `ok`, by their best cosine with the query, best first. */
  nearest(query: Float32Array, limit: number, ok: ((slot: number) => boolean) | null, key: (slot: number) => string): { slot: number; sim: number }[] {
    if (this.live === 0) return [];
    if (this.distance.length < this.used) {
      this.distance = new Uint16Array(this.scales.length);
      this.picked = new Int32Array(this.scales.length);
    }
    const { distance, picked, signs, owner } = this;
    const q = new Uint32Array(WORDS);
    for (let k = 0; k < DIMENSIONS; k++) if (query[k]! > 0) q[k >> 5]! |= 1 << (k & 31);
    // Stage 1: the first PREFIX_WORDS words of each signature (a quarter of the work) keep the
    // closest PREFIX_KEEP; a bucket per distance keeps each stage linear.
    const coarse = new Uint32Array(PREFIX_WORDS * 32 + 1);
    for (let at = 0; at < this.used; at++) {
      const slot = owner[at]!;
      if (slot < 0 || (ok && !ok(slot))) {
        distance[at] = 0xffff;
        continue;
      }
      const d = hamming(q, signs, at * WORDS, PREFIX_WORDS);
      distance[at] = d;
      coarse[d]!++;
    }
    let cut = 0;
    for (let seen = 0; cut < coarse.length && seen + coarse[cut]! <= PREFIX_KEEP; cut++) seen += coarse[cut]!;
    // Stage 2: whole signatures of those keep the closest SHORTLIST (+ limit) for exact cosines.
    const buckets = new Uint32Array(DIMENSIONS + 1);
    let n = 0;
    for (let at = 0; at < this.used; at++) {
      if (distance[at]! > cut) continue;
      const d = hamming(q, signs, at * WORDS, WORDS);
      distance[at] = d;
      picked[n++] = at;
      buckets[d]!++;
    }
    cut = 0;
    for (let seen = 0; cut <= DIMENSIONS && seen + buckets[cut]! <= SHORTLIST + limit; cut++) seen += buckets[cut]!;
    const best = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const at = picked[i]!;
      if (distance[at]! > cut) continue;
      const slot = owner[at]!;
      const sim = this.dot(at, query);
      if (sim > (best.get(slot) ?? -2)) best.set(slot, sim);
    }
    return [...best]
      .map(([slot, sim]) => ({ slot, sim }))
      .sort((a, b) => b.sim - a.sim || (key(a.slot) < key(b.slot) ? -1 : key(a.slot) > key(b.slot) ? 1 : 0))
      .slice(0, limit);
  }
}
