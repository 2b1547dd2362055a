import { describe, expect, it } from "vitest";
import { metricsAccess, routeLabel } from "../../server/metrics";

describe("metrics route labels", () => {
  it("turns ids, tokens and FAQ addresses into patterns, so the series stay bounded", () => {
    expect(routeLabel("/answers/3f1c2b9e-1d2a-4c3b-9a8e-7f6d5c4b3a21/review", 200)).toBe("/answers/:id/review");
    expect(routeLabel("/invite/Zx9_k2PqL0aB7cD1eF3g", 200)).toBe("/invite/:id");
    expect(routeLabel("/faq/billing/how-do-i-get-a-refund", 200)).toBe("/faq/:topic/:slug");
    expect(routeLabel("/faq/billing", 200)).toBe("/faq/:topic");
    expect(routeLabel("/faq", 200)).toBe("/faq");
    expect(routeLabel("/faq/search", 200)).toBe("/faq/search");
    expect(routeLabel("/search", 200)).toBe("/search");
    expect(routeLabel("/", 302)).toBe("/");
    expect(routeLabel("/build/_shared/chunk-ABC123.js", 200)).toBe("/build/*");
    expect(routeLabel("/favicon.ico", 200)).toBe("(static)");
    expect(routeLabel("/wp-admin/setup-config.php", 404)).toBe("(not found)");
    expect(routeLabel("/api/v1/answers/3f1c2b9e-1d2a-4c3b-9a8e-7f6d5c4b3a21/uses", 201)).toBe("/api/v1/answers/:id/uses");
  });
});

describe("metrics access", () => {
  it("does not exist without a token, and wants the exact bearer token when there is one", () => {
    expect(metricsAccess(undefined, "Bearer anything")).toBe(404);
    expect(metricsAccess("s3cret-token-0123456789", undefined)).toBe(401);
    expect(metricsAccess("s3cret-token-0123456789", "Bearer s3cret-token-012345678")).toBe(401);
    expect(metricsAccess("s3cret-token-0123456789", "Basic s3cret-token-0123456789")).toBe(401);
    expect(metricsAccess("s3cret-token-0123456789", "Bearer s3cret-token-0123456789")).toBe(200);
  });
});
