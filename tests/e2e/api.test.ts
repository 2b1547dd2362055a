import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../app/models/agent.server";
import { createDb } from "../../db/client.server";
import { startApp, type RunningApp } from "../support/server";

// The JSON API through the real HTTP server (Express, not Remix: server/http.ts → server/api.ts),
// on the demo data. The handlers' rules are tested in tests/integration/agent.test.ts; this checks
// what only the wire shows: headers, body parsing, size limits, errors as JSON.
let app: RunningApp;
let token: string;

beforeAll(async () => {
  // First start seeds the demo; with the app stopped, its database is ours to add a token to.
  const first = await startApp();
  await first.stop();
  const database = await createDb({ dataDir: path.join(first.dataDir, "pglite") });
  try {
    const [admin] = (await database.db.query.users.findMany()).filter((u) => u.roles.includes("admin"));
    token = (await createApiToken({ name: "e2e", scopes: ["search:read", "uses:write"], createdBy: admin!.id }, database.db)).token;
  } finally {
    await database.close();
  }
  app = await startApp({ DATA_DIR: first.dataDir });
});

afterAll(async () => {
  await app?.stop();
});

const get = (p: string, auth = true) => fetch(`${app.url}${p}`, { headers: auth ? { Authorization: `Bearer ${token}` } : {} });

describe("the JSON API over HTTP", () => {
  it("answers a search with certified answers as JSON, uncached", async () => {
    let body: { results: { question: string; certifiedBy: string; highlights: { question?: string } }[] } = { results: [] };
    await expect
      .poll(async () => {
        const res = await get("/api/v1/search?q=refnd%20not%20recieved&limit=3");
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(res.headers.get("cache-control")).toBe("no-store");
        body = (await res.json()) as typeof body;
        return body.results.length;
      }, { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(body.results[0]!.question).toMatch(/refund/i);
    expect(body.results[0]!.certifiedBy).toBeTruthy();
    expect(body.results[0]!.highlights.question).toContain("<mark>");
  });

  it("refuses a missing token with 401, a JSON error and a Bearer challenge", async () => {
    const res = await get("/api/v1/search?q=refund", false);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="vetted"');
    expect(await res.json()).toEqual({ error: { code: "missing_token", message: expect.any(String) } });
  });

  it("names the bad parameters", async () => {
    const res = await get("/api/v1/search?q=refund&limit=500");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { fields: Record<string, string[]> } }).error.fields.limit).toEqual(["limit is at most 50"]);
  });

  it("answers bad bodies, wrong methods and unknown paths in JSON", async () => {
    const post = (body: string) =>
      fetch(`${app.url}/api/v1/answers/00000000-0000-4000-8000-000000000000/uses`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body,
      });
    const broken = await post("{not json");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
    const huge = await post(JSON.stringify({ channel: "email", pad: "x".repeat(100_000) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe("too_large");
    const unknownAnswer = await post(JSON.stringify({ channel: "email" }));
    expect(unknownAnswer.status).toBe(404);
    const wrongMethod = await get("/api/v1/answers/00000000-0000-4000-8000-000000000000/uses");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    const nowhere = await get("/api/v1/nope");
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("serves its OpenAPI document", async () => {
    const res = await get("/api/v1/openapi.json", false);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
