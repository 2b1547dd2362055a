import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { root } from "../../server/build-if-stale.mjs";

let handler: ((request: Request) => Promise<Response>) | undefined;

/** The real Remix request handler over the built app (the global setup builds it). */
async function appHandler() {
  if (!handler) {
    const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
    const handle = createRequestHandler(build, "production");
    handler = (request) => handle(request, { requestId: "test" });
  }
  return handler;
}

/** A cookie jar's update from a response: set cookies kept, cleared ones dropped. */
export function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") jar.delete(name);
    else jar.set(name, value);
  }
}

/** The CSRF token a page's forms carry, if any. */
export function csrfTokenIn(html: string): string | undefined {
  return /name="csrf" value="([^"]*)"/.exec(html)?.[1] || undefined;
}

export type FormFields = Record<string, string | string[]>;

/**
 * A browser without a browser: keeps cookies, carries the CSRF token, posts forms as a
 * non-JavaScript browser would, and never follows redirects (tests look at them).
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(readonly ip = "203.0.113.7") {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(
    pathname: string,
    init: { method?: string; form?: FormFields | undefined; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has("Cookie")) headers.set("Cookie", this.cookieHeader());
    headers.set("x-vetted-client-ip", this.ip);
    let body: URLSearchParams | string | undefined = init.body;
    if (init.form) {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of [v].flat()) body.append(k, one);
      headers.set("Content-Type", "application/x-www-form-urlencoded");
    }
    const response = await (await appHandler())(
      new Request(new URL(pathname, "http://localhost"), { method: init.method ?? (body ? "POST" : "GET"), headers, body }),
    );
    keepCookies(this.cookies, response);
    return response;
  }

  /** Loads a page and remembers the CSRF token its forms carry. */
  async page(pathname: string): Promise<{ response: Response; html: string }> {
    const response = await this.request(pathname);
    const html = await response.text();
    this.csrfToken = csrfTokenIn(html) ?? this.csrfToken;
    return { response, html };
  }

  /** Posts a form with the page's CSRF token (load a page first). */
  async post(pathname: string, form: FormFields): Promise<Response> {
    if (!this.csrfToken) await this.page(this.cookies.has("vetted_session") ? "/" : "/login");
    return this.request(pathname, { form: { csrf: this.csrfToken ?? "", ...form } });
  }

  async signIn(email: string, password: string): Promise<Response> {
    await this.page("/login");
    return this.post("/login", { email, password });
  }
}
