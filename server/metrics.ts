import { timingSafeEqual, createHash } from "node:crypto";
import client from "prom-client";

/**
 * Prometheus metrics (`/metrics`, behind METRICS_TOKEN). Kept on globalThis: the Remix build bundles
 * its own copy of app modules, and a search observed there must land in the registry the server
 * serves.
 */
interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<"method" | "route" | "status">;
  httpDuration: client.Histogram<"method" | "route">;
  searchDuration: client.Histogram<"engine">;
  jobRuns: client.Counter<"job" | "outcome">;
  jobDuration: client.Histogram<"job">;
}

const key = Symbol.for("vetted.metrics");
type G = typeof globalThis & { [key]?: Metrics };

export function metrics(): Metrics {
  const g = globalThis as G;
  if (g[key]) return g[key];
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "vetted_" });
  const m: Metrics = {
    registry,
    httpRequests: new client.Counter({
      name: "vetted_http_requests_total",
      help: "HTTP requests answered, by route pattern and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: "vetted_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route pattern",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    searchDuration: new client.Histogram({
      name: "vetted_search_duration_seconds",
      help: "Time the search engine took to answer a query",
      labelNames: ["engine"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    jobRuns: new client.Counter({
      name: "vetted_job_runs_total",
      help: "Background job runs, by job and outcome",
      labelNames: ["job", "outcome"],
      registers: [registry],
    }),
    jobDuration: new client.Histogram({
      name: "vetted_job_duration_seconds",
      help: "Time a background job run took",
      labelNames: ["job"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers: [registry],
    }),
  };
  g[key] = m;
  return m;
}

export function observeSearch(engine: string, seconds: number): void {
  metrics().searchDuration.observe({ engine }, seconds);
}

/** Gauges read when Prometheus scrapes: the state lives elsewhere (the outbox, the search copy, the mail queue). */
export function registerGauge(name: string, help: string, read: () => Promise<number | null> | number | null): void {
  const { registry } = metrics();
  if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  new client.Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      const value = await Promise.resolve(read()).catch(() => null);
      if (value !== null && Number.isFinite(value)) this.set(value);
    },
  });
}

const ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|(?=[\w-]*\d)[\w-]{16,})$/i;

/**
 * The route pattern a request is counted under: ids and tokens become `:id`, FAQ addresses
 * `/faq/:topic/:slug`, and anything that was not found one label, so a scanner cannot grow the
 * series without bound.
 */
export function routeLabel(path: string, status: number): string {
  if (status === 404) return "(not found)";
  if (path.startsWith("/build/")) return "/build/*";
  const parts = path.split("/").filter(Boolean).slice(0, 5);
  if (parts[0] === "faq" && parts[1] !== "search") return ["/faq", ":topic", ":slug"].slice(0, Math.min(parts.length, 3)).join("/");
  if (/\.(?:css|js|png|svg|ico|woff2?|txt|webmanifest|json)$/.test(path) && !path.startsWith("/api/")) return "(static)";
  return "/" + parts.map((p) => (ID.test(p) ? ":id" : p)).join("/");
}

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/**
 * Who may read /metrics: nobody unless METRICS_TOKEN is set (404, as if there were no such page),
 * then whoever sends it as a bearer token (401 otherwise).
 */
export function metricsAccess(token: string | undefined, authorization: string | undefined): 200 | 401 | 404 {
  if (!token) return 404;
  const sent = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1] ?? "";
  return sent && sameSecret(sent, token) ? 200 : 401;
}
