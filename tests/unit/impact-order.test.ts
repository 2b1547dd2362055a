import { describe, expect, it } from "vitest";
import { impactOrderOf } from "../../search/resident";

/** The order impact orders had before they were packed: a stable comparator sort. */
function reference(impact: Float32Array, keys: string[]): number[] {
  return [...impact.keys()].sort((a, b) => impact[b]! - impact[a]! || (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("impactOrderOf", () => {
  it("orders by impact, highest first, and equal impacts by key, as a stable comparator sort does", () => {
    const random = seeded(7);
    for (const n of [0, 1, 2, 50, 5000]) {
      // Few distinct impacts (many ties), zeros among them, and keys that repeat.
      const impact = Float32Array.from({ length: n }, () => (random() < 0.1 ? 0 : Math.floor(random() * 12) / 5));
      const keys = Array.from({ length: n }, () => `k${Math.floor(random() * n * 0.7)}`);
      expect([...impactOrderOf(impact, (i) => keys[i]!)]).toEqual(reference(impact, keys));
    }
  });

  it("keeps distinct impacts that are very close apart", () => {
    const impact = Float32Array.from([1, Math.fround(1 + 2 ** -23), 0.5, Math.fround(0.5 - 2 ** -25), 2.3]);
    expect([...impactOrderOf(impact, String)]).toEqual([4, 1, 0, 2, 3]);
  });

  it("reads only its own part of a shared buffer", () => {
    const shared = new Float32Array([9, 9, 1, 3, 2, 9]);
    expect([...impactOrderOf(shared.subarray(2, 5), String)]).toEqual([1, 2, 0]);
  });
});
