import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { DEFAULT_TEST_DATABASE_URL, withDatabase } from "../setup/global-database";
import { csrfTokenIn, keepCookies } from "../support/app";
import { startApp, type RunningApp } from "../support/server";

/**
 * The attack suite replays the probes of the attack-and-fault run against a real server (the
 * built app behind Express, as `npm start` runs it) on both databases.
 */
export const DRIVERS = ["pglite", "postgres"] as const;
export type Driver = (typeof DRIVERS)[number];

export interface Target extends RunningApp {
  driver: Driver;
  /** postgres: the target's own database. */
  databaseUrl?: string;
  stopAndClean(): Promise<void>;
}

const serverUrl = () => process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;

/** A running server with the demo data, on a fresh PGlite directory or a fresh PostgreSQL database. */
export async function startTarget(driver: Driver, env: Record<string, string | undefined> = {}): Promise<Target> {
  if (driver === "pglite") {
    const app = await startApp({ LOG_LEVEL: "warn", ...env });
    return Object.assign(app, { driver, stopAndClean: async () => void (await app.stop()) });
  }
  const name = `vt_attack_${randomBytes(5).toString("hex")}`;
  const admin = postgres(serverUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`).finally(() => admin.end());
  const databaseUrl = withDatabase(serverUrl(), name);
  // DATABASE_URL_VIA_PROXY=<port>: the app reaches its database through a proxy on that port.
  const { DATABASE_URL_VIA_PROXY: viaProxy, ...rest } = env;
  const appUrl = new URL(databaseUrl);
  if (viaProxy) {
    appUrl.hostname = "127.0.0.1";
    appUrl.port = viaProxy;
  }
  const app = await startApp({ LOG_LEVEL: "warn", DATABASE_URL: appUrl.toString(), DEMO_DATA: "true", ...rest });
  return Object.assign(app, {
    driver,
    databaseUrl,
    stopAndClean: async () => {
      await app.stop();
      const cleanup = postgres(serverUrl(), { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`).finally(() => cleanup.end());
    },
  });
}

/** A browser without a browser, over real HTTP: a cookie jar, the CSRF token, no redirects followed. */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(
    pathname: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string>; body?: string | Uint8Array } = {},
  ): Promise<Response> {
    const headers = new Headers({ ...this.headers, ...init.headers });
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    let body: string | Uint8Array | undefined = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers.set("Content-Type", "application/x-www-form-urlencoded");
    }
    const response = await fetch(`${this.baseUrl}${pathname}`, {
      method: init.method ?? (body !== undefined ? "POST" : "GET"),
      headers,
      body: body as BodyInit | undefined,
      redirect: "manual",
    });
    keepCookies(this.cookies, response);
    return response;
  }

  async page(pathname: string): Promise<{ response: Response; html: string }> {
    const response = await this.request(pathname);
    const html = await response.text();
    this.csrfToken = csrfTokenIn(html) ?? this.csrfToken;
    return { response, html };
  }

  async post(pathname: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    if (!this.csrfToken) await this.page("/login");
    return this.request(pathname, { form: { csrf: this.csrfToken ?? "", ...form }, headers });
  }

  async signIn(email: string, password = "vetted-demo"): Promise<Response> {
    await this.page("/login");
    return this.post("/login", { email, password });
  }
}
