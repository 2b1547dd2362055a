import { describe, expect, it } from "vitest";
import { DIMENSIONS } from "../../search/sentence-encoder";
import { packVectors, unpackedCount, VectorStore } from "../../search/vector-store";

/** A unit vector leaning on the given dimensions (the rest get a little noise from a seed). */
function vector(lean: number[], seed: number): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  let x = seed;
  for (let k = 0; k < DIMENSIONS; k++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    v[k] = ((x / 2 ** 31) - 0.5) * 0.05;
  }
  for (const k of lean) v[k] = 1;
  const norm = Math.hypot(...v);
  return v.map((y) => y / norm);
}
const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, k) => s + x * b[k]!, 0);

describe("meaning vectors in memory", () => {
  it("packs to a scale and 512 bytes a vector, close to the exact cosine", () => {
    const a = vector([1, 2, 3], 7);
    const b = vector([2, 3, 4], 9);
    const packed = packVectors([a, b]);
    expect(packed.length).toBe(2 * (4 + DIMENSIONS));
    expect(unpackedCount(packed)).toBe(2);
    const store = new VectorStore();
    store.set(0, packVectors([a]));
    expect(store.similarity(0, b)).toBeCloseTo(cos(a, b), 2);
    expect(store.similarity(0, a)).toBeCloseTo(1, 2);
    expect(store.similarity(1, a)).toBe(-1);
  });

  it("finds the nearest answers by their best vector, leaves out removed and filtered ones", () => {
    const store = new VectorStore();
    const q = vector([10, 11, 12], 1);
    // Slot 0: far. Slot 1: its second phrasing is near. Slot 2: nearest, then removed. Slot 3: near, filtered out.
    store.set(0, packVectors([vector([300, 301], 2)]));
    store.set(1, packVectors([vector([200], 3), vector([10, 11], 4)]));
    store.set(2, packVectors([vector([10, 11, 12], 5)]));
    store.set(3, packVectors([vector([12], 6)]));
    expect(store.size).toBe(4);
    const key = (slot: number) => `k${slot}`;
    expect(store.nearest(q, 3, null, key).map((n) => n.slot)).toEqual([2, 1, 3]);
    store.kill(2);
    expect(store.size).toBe(3);
    expect(store.has(2)).toBe(false);
    const found = store.nearest(q, 10, (slot) => slot !== 3, key);
    expect(found.map((n) => n.slot)).toEqual([1, 0]);
    expect(found[0]!.sim).toBeCloseTo(cos(q, vector([10, 11], 4)), 2);
  });

  it("orders equal vectors by the answers' keys, not by the order they were loaded", () => {
    const same = vector([5, 6], 3);
    const one = new VectorStore();
    const other = new VectorStore();
    [0, 1, 2].forEach((slot) => one.set(slot, packVectors([same])));
    [0, 1, 2].forEach((slot) => other.set(slot, packVectors([same])));
    const keysOne = ["b", "c", "a"];
    const keysOther = ["c", "a", "b"];
    const names = (store: VectorStore, keys: string[]) => store.nearest(same, 3, null, (s) => keys[s]!).map((n) => keys[n.slot]);
    expect(names(one, keysOne)).toEqual(["a", "b", "c"]);
    expect(names(other, keysOther)).toEqual(["a", "b", "c"]);
  });

  describe("with more vectors than a search reads (the cells of search/meaning-cells.ts)", () => {
    // 3,000 answers in 300 directions, ten close variants each; a search reads 200 vectors.
    const many = Array.from({ length: 3000 }, (_, i) => vector([i % 300, (i * 7) % 300, 300 + ((i * 13) % 200)], i + 1));
    const load = (order: number[], probe = 200) => {
      const store = new VectorStore(probe);
      for (const i of order) store.set(i, packVectors([many[i]!]));
      return store;
    };
    const key = (slot: number) => String(slot).padStart(5, "0");
    const queries = [0, 17, 450, 1234, 2999].map((i) => many[i]!);

    it("finds what an exact scan of every vector finds first", () => {
      const store = load(many.map((_, i) => i));
      for (const [n, q] of queries.entries()) {
        const exact = store.nearestExact(q, 10, key);
        const found = store.nearest(q, 10, null, key);
        expect(found[0], `query ${n}`).toEqual(exact[0]);
        // At least half the exact ten, at the same cosines. (These made-up vectors spread evenly
        // over cells drawn for sentences, and a search reads 7 % of them; bench:search measures
        // the recall on real text.)
        const overlap = found.filter((f) => exact.some((e) => e.slot === f.slot && Math.abs(e.sim - f.sim) < 1e-6));
        expect(overlap.length, `query ${n}`).toBeGreaterThanOrEqual(5);
      }
    });

    it("finds the same whatever order the vectors were loaded in", () => {
      const forward = load(many.map((_, i) => i));
      const backward = load(many.map((_, i) => many.length - 1 - i));
      for (const q of queries) expect(backward.nearest(q, 20, null, key)).toEqual(forward.nearest(q, 20, null, key));
    });

    it("reads on past the nearest cells until it has enough vectors that pass the filter", () => {
      const store = load(many.map((_, i) => i));
      // One answer in a hundred passes: far fewer than the nearest cells hold.
      const passing = (slot: number) => slot % 100 === 0;
      const found = store.nearest(queries[1]!, 30, passing, key);
      expect(found).toHaveLength(30);
      expect(found.every((f) => passing(f.slot))).toBe(true);
      expect(found[0]).toEqual(store.nearestExact(queries[1]!, 3000, key).filter((e) => passing(e.slot))[0]);
    });

    it("remembers a search until a cell it read changes, and answers as a fresh search would", () => {
      const live = new Map(many.map((v, i) => [i, v]));
      const store = load(many.map((_, i) => i));
      const fresh = () => {
        const other = new VectorStore(200);
        for (const [slot, v] of live) other.set(slot, packVectors([v]));
        return other;
      };
      const first = queries.map((q) => store.nearest(q, 20, null, key));
      expect(queries.map((q) => store.nearest(q, 20, null, key))).toEqual(first);
      expect(store.memoHits).toBe(queries.length);
      // A filtered search is never taken from the memo.
      store.nearest(queries[0]!, 20, (slot) => slot % 2 === 0, key);
      expect(store.memoHits).toBe(queries.length);
      let remembered = 0;
      const writes: (() => void)[] = [
        // A new answer whose vector is query 2's: it is found first from now on.
        () => {
          live.set(5000, queries[2]!);
          store.set(5000, packVectors([queries[2]!]));
        },
        // Query 1's nearest answer leaves.
        () => {
          const gone = first[1]![0]!.slot;
          live.delete(gone);
          store.kill(gone);
        },
      ];
      for (const write of writes) {
        write();
        const before = store.memoHits;
        const now = queries.map((q) => store.nearest(q, 20, null, key));
        remembered += store.memoHits - before;
        const other = fresh();
        expect(now).toEqual(queries.map((q) => other.nearest(q, 20, null, key)));
      }
      expect(store.nearest(queries[2]!, 20, null, key).map((f) => f.slot)).toContain(5000);
      expect(store.nearest(queries[1]!, 20, null, key).map((f) => f.slot)).not.toContain(first[1]![0]!.slot);
      // Each write changed a few cells: the searches that read none of them were remembered.
      expect(remembered).toBeGreaterThan(0);
      store.forgetNearest();
      const hits = store.memoHits;
      store.nearest(queries[0]!, 20, null, key);
      expect(store.memoHits).toBe(hits);
    });

    it("reads every vector when there are fewer than it would probe", () => {
      // 250: under the signatures' shortlist too, so the answer is exact.
      const store = load(many.slice(0, 250).map((_, i) => i), 1000);
      for (const q of queries.slice(0, 2)) expect(store.nearest(q, 10, null, key).map((f) => f.slot)).toEqual(store.nearestExact(q, 10, key).map((e) => e.slot));
    });
  });
});
