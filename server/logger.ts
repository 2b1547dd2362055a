import { pino, type Logger } from "pino";

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

export function createLogger(level: string = process.env.LOG_LEVEL || "info"): Logger {
  return pino({ level, base: { app: "vetted" }, redact: { paths: REDACT, censor: "[redacted]" } });
}

/** The process-wide logger, shared with the Remix build through globalThis. */
export function getLogger(): Logger {
  const g = globalThis as G;
  g[globalKey] ??= createLogger();
  return g[globalKey];
}

export function setLogger(logger: Logger): void {
  (globalThis as G)[globalKey] = logger;
}
