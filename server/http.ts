import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Logger } from "pino";
import { cachedPageReply, faqCacheKey, faqPageCache } from "../app/models/faq-cache.server";
import { panelFrameAncestors } from "../app/models/agent-desk.server";
import { apiBodyText, apiError, handleApi, type ApiResponse } from "./api";
import { getConfig } from "./config";
import { limitBodySize, rejectUnreadableUrl } from "./request-guards";
import { getLogger, withRequestLogger } from "./logger";
import { metrics, metricsAccess, routeLabel } from "./metrics";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

declare module "@remix-run/node" {
  // What every loader and action receives as `context`; Remix's type is meant to be augmented.
  interface AppLoadContext {
    requestId: string;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** /faq, /faq/<topic>, /faq/<topic>/<slug> — the cached public pages (not /faq/search). */
const FAQ_PAGE = /^\/faq(?:\/(?!search(?:\/|$))[^/]+){0,2}\/?$/;

/** The origin exactly as Remix's Express adapter builds the request URL (so the keys agree). */
function requestOrigin(req: express.Request): string {
  const publicUrl = getConfig().publicUrl;
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  const port = [req.get("X-Forwarded-Host"), req.get("host")].map((h) => Number.parseInt(h?.split(":")[1] ?? "", 10)).find((n) => Number.isSafeInteger(n));
  return new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}`).origin;
}

/**
 * The public FAQ's fast path: a page already in the FAQ page cache (app/models/faq-cache.server.ts)
 * is sent from here, before static files and Remix — no Request object, no route matching, no
 * render. A miss falls through to the Remix route, which renders the page and stores it.
 */
const faqFastPath: express.RequestHandler = (req, res, next) => {
  if ((req.method !== "GET" && req.method !== "HEAD") || !FAQ_PAGE.test(req.path)) return next();
  const cache = faqPageCache();
  const send = () => {
    const q = req.url.indexOf("?");
    const thanks = q >= 0 && new URLSearchParams(req.url.slice(q + 1)).get("feedback") === "thanks";
    const page = cache.get(faqCacheKey(requestOrigin(req), req.path, thanks));
    if (!page) return next();
    const reply = cachedPageReply(page, { ifNoneMatch: req.headers["if-none-match"], acceptEncoding: req.headers["accept-encoding"] }, "hit");
    if (reply.body) reply.headers["Content-Length"] = String(reply.body.length);
    res.writeHead(reply.status, reply.headers);
    res.end(req.method === "GET" ? (reply.body ?? undefined) : undefined);
  };
  // Fresh (the usual case): answer synchronously, no promise.
  if (cache.fresh()) return send();
  cache.ready().then(send, (error: unknown) => {
    // The database cannot say whether the page is current (it is down): serve the page as last
    // rendered rather than a 500 (stale-if-error), and say so in the logs.
    const page = cache.getStale(faqCacheKey(requestOrigin(req), req.path, false));
    if (!page) return next();
    getLogger().warn({ path: req.path, err: error }, "database unavailable: serving the cached FAQ page (stale-if-error)");
    const reply = cachedPageReply(page, { ifNoneMatch: req.headers["if-none-match"], acceptEncoding: req.headers["accept-encoding"] }, "hit");
    reply.headers["X-Faq-Cache"] = "stale";
    if (reply.body) reply.headers["Content-Length"] = String(reply.body.length);
    res.writeHead(reply.status, reply.headers);
    res.end(req.method === "GET" ? (reply.body ?? undefined) : undefined);
  });
};

const isPanelPath = (path: string) => path === "/panel" || path.startsWith("/panel/");

/** The Express app: request ids, access logs, static assets, then Remix. */
export function createHttpApp(build: ServerBuild, log: Logger): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Which proxies may name the client's address and scheme (the throttle and the Secure cookie use them).
  app.set("trust proxy", getConfig().trustProxy);
  // A cluster's workers (WEB_CONCURRENCY) say which of them answered, after the instance's name.
  const instance = getConfig().instanceName && cluster.isWorker ? `${getConfig().instanceName}.${cluster.worker!.id}` : getConfig().instanceName;
  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    // The throttle keys on this; never let a client choose it.
    req.headers["x-vetted-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
    res.setHeader("X-Request-Id", requestId);
    if (instance) res.setHeader("X-Instance", instance);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    // Nothing may frame the app (clickjacking), except the help-desk panel, below.
    if (!isPanelPath(req.path)) res.setHeader("X-Frame-Options", "DENY");
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      // A write that went through this process (certify, archive, a topic or branding edit…) has
      // committed by now: the public FAQ re-reads its content generation before its next page.
      if (!SAFE_METHODS.has(req.method) && res.statusCode < 400 && !req.path.startsWith("/faq/")) faqPageCache().recheckSoon();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = routeLabel(req.path, res.statusCode);
      metrics().httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics().httpDuration.observe({ method: req.method, route }, ms / 1000);
      const line = { requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) log.error(line, "request");
      else log.info(line, "request");
    });
    withRequestLogger(log.child({ requestId }), next);
  });
  app.use(rejectUnreadableUrl, limitBodySize);
  app.get("/metrics", (req, res, next) => {
    const access = metricsAccess(getConfig().metricsToken, req.get("authorization"));
    if (access === 404) return next();
    res.setHeader("Cache-Control", "no-store");
    if (access === 401) return res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').type("text/plain").send("A bearer token is required.\n");
    const { registry } = metrics();
    registry.metrics().then((text) => res.type(registry.contentType).send(text), next);
  });
  // The panel may be framed by the origins an admin lists (Admin → Settings), and by nothing else.
  app.use((req, res, next) => {
    if (!isPanelPath(req.path)) return next();
    panelFrameAncestors().then((ancestors) => {
      res.setHeader("Content-Security-Policy", `frame-ancestors ${ancestors}`);
      next();
    }, next);
  });
  app.use(faqFastPath);
  // The JSON API bypasses Remix (see server/api.ts); its errors are JSON too.
  // end(), not send(): send() would hash every response for an ETag, and API answers are no-store.
  const send = (res: express.Response, r: ApiResponse) => {
    const body = apiBodyText(r);
    res.status(r.status).set(r.headers ?? {}).type("application/json").set("Content-Length", String(Buffer.byteLength(body))).end(body);
  };
  app.use(
    "/api/v1",
    express.text({ type: () => true, limit: "64kb" }),
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      const q = req.originalUrl.indexOf("?");
      handleApi({
        method: req.method,
        path: req.path,
        query: new URLSearchParams(q < 0 ? "" : req.originalUrl.slice(q + 1)),
        authorization: req.get("authorization") ?? null,
        body: typeof req.body === "string" ? req.body : "",
        origin: `${req.protocol}://${req.get("host") ?? "localhost"}`,
      }).then((r) => send(res, r), next);
    },
    (error: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      if (error.type === "entity.too.large") return send(res, apiError(413, "too_large", "The body is larger than 64 KB."));
      log.error({ err: error }, "API call failed");
      send(res, apiError(500, "internal", "Something went wrong; it has been logged."));
    },
  );
  // Fingerprinted build assets can be cached forever; the rest of public/ for an hour.
  app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV === "development" ? "development" : "production",
      getLoadContext: (_req, res) => ({ requestId: String(res.locals.requestId) }),
    }),
  );
  return app;
}
