import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/utils/http.server";
import { OPEN_REDIRECT_CORPUS } from "../attack/corpus";

describe("safeRedirect", () => {
  it.each([...OPEN_REDIRECT_CORPUS, "\u0000//evil.example", "/\u0000", "", "x".repeat(3000)])("refuses %j", (to) => {
    const result = safeRedirect(to);
    // Whatever comes back must stay on this site when a browser resolves it.
    expect(new URL(result, "https://vetted.example").host).toBe("vetted.example");
    expect(result.startsWith("//")).toBe(false);
  });

  it("keeps same-site paths with their query and fragment", () => {
    expect(safeRedirect("/search?q=refund#top")).toBe("/search?q=refund#top");
    expect(safeRedirect("/answers/123/edit")).toBe("/answers/123/edit");
  });

  it("falls back for anything that is not a string", () => {
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(["/a"], "/home")).toBe("/home");
  });
});
