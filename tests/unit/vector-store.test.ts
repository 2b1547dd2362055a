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
});
