import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Logger } from "pino";
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
