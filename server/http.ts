import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Logger } from "pino";
import { apiError, handleApi, type ApiResponse } from "./api";
import { withRequestLogger } from "./logger";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

declare module "@remix-run/node" {
  // What every loader and action receives as `context`; Remix's type is meant to be augmented.
  interface AppLoadContext {
    requestId: string;
  }
}

/** The Express app: request ids, access logs, static assets, then Remix. */
export function createHttpApp(build: ServerBuild, log: Logger): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    // The throttle keys on this; never let a client choose it.
    req.headers["x-vetted-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
    res.setHeader("X-Request-Id", requestId);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) log.error(line, "request");
      else log.info(line, "request");
    });
    withRequestLogger(log.child({ requestId }), next);
  });
  // The JSON API bypasses Remix (see server/api.ts); its errors are JSON too.
  const send = (res: express.Response, r: ApiResponse) => res.status(r.status).set(r.headers ?? {}).type("application/json").send(JSON.stringify(r.body));
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
