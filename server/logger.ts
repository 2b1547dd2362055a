import { AsyncLocalStorage } from "node:async_hooks";
import { pino, type DestinationStream, type Logger } from "pino";

const globalKey = Symbol.for("vetted.logger");
type G = typeof globalThis & { [globalKey]?: Logger };

/** Secrets that must never reach a log line, wherever they appear in an object. */
const REDACT = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "sessionSecret",
  "*.sessionSecret",
  "token",
  "*.token",
  "req.headers.cookie",
  "req.headers.authorization",
  "headers.cookie",
  "headers.authorization",
];

export function createLogger(level: string = process.env.LOG_LEVEL || "info", destination?: DestinationStream): Logger {
  const options = { level, base: { app: "vetted" }, redact: { paths: REDACT, censor: "[redacted]" } };
  return destination ? pino(options, destination) : pino(options);
}

const requestKey = Symbol.for("vetted.request-logger");
type R = typeof globalThis & { [requestKey]?: AsyncLocalStorage<Logger> };
/** Per-request child loggers (carrying the request id), shared with the Remix build. */
function requestLoggers(): AsyncLocalStorage<Logger> {
  const g = globalThis as R;
  g[requestKey] ??= new AsyncLocalStorage<Logger>();
  return g[requestKey];
}

/** Runs `fn` with a logger whose every line carries the request id. */
export function withRequestLogger<T>(logger: Logger, fn: () => T): T {
  return requestLoggers().run(logger, fn);
}

/**
 * The logger for the current request when there is one (its lines carry the request id), else
 * the process-wide logger, shared with the Remix build through globalThis.
 */
export function getLogger(): Logger {
  const scoped = requestLoggers().getStore();
  if (scoped) return scoped;
  const g = globalThis as G;
  g[globalKey] ??= createLogger();
  return g[globalKey];
}

export function setLogger(logger: Logger): void {
  (globalThis as G)[globalKey] = logger;
}
