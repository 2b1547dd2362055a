import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/config";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "vetted-config-"));

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("configuration from the environment", () => {
  it("defaults to embedded PGlite, port 3000 and demo data", () => {
    const c = loadConfig({ DATA_DIR: dataDir() });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.port).toBe(3000);
    expect(c.demoData).toBe(true);
    expect(c.logLevel).toBe("info");
  });

  it("generates the session secret once and keeps it under the data directory", () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.sessionSecretGenerated).toBe(true);
    expect(existsSync(path.join(dir, "session-secret"))).toBe(true);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.sessionSecretGenerated).toBe(false);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(readFileSync(path.join(dir, "session-secret"), "utf8").trim()).toBe(first.sessionSecret);
  });

  it("turns demo data off on a server unless asked", () => {
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "postgres://u@h/db" }).demoData).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "postgres://u@h/db", DEMO_DATA: "true" }).demoData).toBe(true);
  });

  it.each([
    [{ PORT: "eighty" }, /^PORT must be a whole number/],
    [{ PORT: "70000" }, /^PORT must be a whole number/],
    [{ DATABASE_URL: "mysql://x@y/z" }, /^DATABASE_URL must be a postgres:\/\//],
    [{ SESSION_SECRET: "short" }, /^SESSION_SECRET must be at least 32 characters/],
    [{ MEILI_URL: "localhost:7700" }, /^MEILI_URL must be an http/],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL must be one of/],
    [{ SEARCH_SEMANTIC: "of" }, /^SEARCH_SEMANTIC must be on or off/],
  ])("names the variable and the problem: %o", (env, message) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it("runs worker processes (WEB_CONCURRENCY) only on a PostgreSQL server", () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).workers).toBe(1);
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: "postgres://u@h/db", WEB_CONCURRENCY: "4" }).workers).toBe(4);
    expect(problems({ WEB_CONCURRENCY: "2" })).toEqual(["WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database (PGlite) belongs to one process"]);
    expect(loadConfig({ DATA_DIR: dataDir(), WEB_CONCURRENCY: "1" }).workers).toBe(1);
    for (const bad of ["two", "0", "33", "1.5"]) {
      expect(problems({ DATABASE_URL: "postgres://u@h/db", WEB_CONCURRENCY: bad })[0]).toMatch(/^WEB_CONCURRENCY must be a whole number of worker processes between 1 and 32/);
    }
  });

  it("reports every bad variable at once", () => {
    expect(problems({ PORT: "x", LOG_LEVEL: "y" })).toHaveLength(2);
  });

  it("takes single sign-on from OIDC_* only when issuer, client id and secret come together", () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).oidc).toBeUndefined();
    const c = loadConfig({ DATA_DIR: dataDir(), OIDC_ISSUER: "https://login.example.com", OIDC_CLIENT_ID: "vetted", OIDC_CLIENT_SECRET: "s3cret", OIDC_NAME: "Acme" });
    expect(c.oidc).toEqual({ issuer: "https://login.example.com", clientId: "vetted", clientSecret: "s3cret", name: "Acme" });
    expect(problems({ OIDC_ISSUER: "https://login.example.com" })).toEqual(["OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together (or none of them)"]);
    expect(problems({ OIDC_ISSUER: "login.example.com", OIDC_CLIENT_ID: "a", OIDC_CLIENT_SECRET: "b" })[0]).toMatch(/^OIDC_ISSUER must be/);
  });
});
