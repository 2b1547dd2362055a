import { describe, expect, it } from "vitest";
import { DIMENSIONS, encodeQuery, encodeSentences, MAX_TOKENS, stopEncoder } from "../../search/sentence-encoder";

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, k) => s + x * b[k]!, 0);

/** The real model (shipped in node_modules): what it gives is what search blends in. */
describe("sentence encoder", () => {
  it("gives unit vectors that put paraphrases closer than unrelated questions", async () => {
    const [cancel, unsubscribe, weather] = await encodeSentences(["how do i cancel my subscription", "how can i unsubscribe", "will it rain tomorrow"]);
    expect(cancel!.length).toBe(DIMENSIONS);
    expect(cos(cancel!, cancel!)).toBeCloseTo(1, 4);
    expect(cos(cancel!, unsubscribe!)).toBeGreaterThan(cos(cancel!, weather!) + 0.2);
  }, 60_000);

  it("gives blank text a zero vector, and reads a long message by its opening", async () => {
    const [blank] = await encodeSentences(["   "]);
    expect(blank!.every((x) => x === 0)).toBe(true);
    const opening = "my parcel never arrived and the tracking says delivered";
    const long = `${opening} ${"and then I waited for a very long time ".repeat(40)}`;
    const [a, b] = await encodeSentences([long, `${opening} ${"and then I waited for a very long time ".repeat(10)}`]);
    // Both are cut at MAX_TOKENS word pieces, so they are the same text to the model.
    expect(MAX_TOKENS).toBeLessThan(100);
    expect(cos(a!, b!)).toBeCloseTo(1, 4);
  }, 60_000);

  it("encodes queries that arrive together in one run, each to its own vector", async () => {
    const texts = ["where is my order", "reset my password", "change the email on my account", "do you ship abroad", "cancel my plan"];
    const one = await encodeSentences(texts);
    const together = await Promise.all(texts.map((t) => encodeQuery(t)));
    together.forEach((v, i) => expect(cos(v, one[i]!)).toBeCloseTo(1, 3));
    // Remembered: the same wording again is the same vector object.
    expect(await encodeQuery("  Where is my   ORDER ")).toBe(together[0]);
  }, 60_000);

  it("fails what a stopped encoder was doing with a clear error, and starts afresh for the next text", async () => {
    const [before] = await encodeSentences(["reset my password"]);
    const cut = encodeSentences(["change my billing address"]);
    await stopEncoder();
    await expect(cut).rejects.toThrow(/sentence encoder: its worker stopped/);
    const [after] = await encodeSentences(["reset my password"]);
    expect([...after!]).toEqual([...before!]);
  }, 60_000);
});
