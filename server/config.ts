import { describeFsError } from "./fs-errors";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .transform((s) => (s === "" ? undefined : s))
  .optional();

/** An optional variable holding a whole number in [min, max]; one message for every way it is wrong. */
function wholeNumber(min: number, max: number, message: string) {
  return optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, message)
      .transform(Number)
      .refine((n) => n >= min && n <= max, message)
      .optional(),
  );
}

const envSchema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .refine((u) => /^postgres(ql)?:\/\/[^\s]+$/.test(u) && URL.canParse(u), {
        message: "must be a postgres:// or postgresql:// URL, e.g. postgres://user@localhost:5432/vetted",
      })
      .optional(),
  ),
  SESSION_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
  ),
  PORT: wholeNumber(1, 65535, "must be a whole number between 1 and 65535"),
  WEB_CONCURRENCY: wholeNumber(1, 32, "must be a whole number of worker processes between 1 and 32"),
  MEILI_URL: optionalString.pipe(
    z
      .string()
      .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), "must be an http:// or https:// URL")
      .optional(),
  ),
  MEILI_KEY: optionalString,
  LOG_LEVEL: optionalString.pipe(
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
  ),
  DATA_DIR: optionalString,
  DEMO_DATA: optionalString.pipe(z.enum(["true", "false"], { message: "must be true or false" }).optional()),
  // Read by search/sentence-encoder.ts; checked here so a typo (`of`) stops the start instead of meaning "on".
  SEARCH_SEMANTIC: optionalString.pipe(z.enum(["on", "off"], { message: "must be on or off" }).optional()),
  BOOTSTRAP_ADMIN_EMAIL: optionalString.pipe(z.email("must be an email address").optional()),
  PUBLIC_URL: optionalString.pipe(
    z.string().refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), "must be an http(s) URL").optional(),
  ),
  TRUST_PROXY: optionalString.pipe(
    z
      .string()
      .transform((v, ctx) => {
        const parsed = parseTrustProxy(v);
        if (parsed === null) {
          ctx.addIssue({
            code: "custom",
            message: "must be false, a number of proxy hops (e.g. 1), or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8, loopback)",
          });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
  ),
  INSTANCE_NAME: optionalString.pipe(z.string().regex(/^[\w.-]{1,40}$/, "must be 1–40 letters, digits, dots, dashes or underscores").optional()),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "must be at least 16 characters (e.g. `openssl rand -hex 24`)").optional()),
  // Never echoed in an error: it may carry the SMTP password.
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .refine((u) => /^smtps?:\/\/[^\s/]+/.test(u) && URL.canParse(u), "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587")
      .optional(),
  ),
  SMTP_FROM: optionalString.pipe(
    z
      .string()
      .refine((v) => SMTP_FROM_PATTERN.test(v), 'must be an address, or "Name <address>", e.g. Vetted <vetted@example.com>')
      .optional(),
  ),
  NODE_ENV: optionalString,
  OIDC_ISSUER: optionalString.pipe(
    z.string().refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), "must be the provider's https:// issuer URL").optional(),
  ),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_NAME: optionalString.pipe(z.string().max(60, "must be at most 60 characters").optional()),
});

/** `a@b.c` or `Display Name <a@b.c>` (no line breaks: the value goes into a mail header). */
const SMTP_FROM_PATTERN = /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

/**
 * TRUST_PROXY → Express's "trust proxy": which hops may tell us the client's address and scheme
 * (X-Forwarded-For/-Proto). Unset trusts none, so a client cannot pick its own address.
 */
export function parseTrustProxy(value: string): false | number | string[] | null {
  if (value === "false" || value === "0") return false;
  if (/^\d+$/.test(value)) return Number(value) <= 10 ? Number(value) : null;
  const parts = value.split(",").map((p) => p.trim()).filter(Boolean);
  const ok = parts.every((p) => {
    if (["loopback", "linklocal", "uniquelocal"].includes(p)) return true;
    const [address, bits, extra] = p.split("/");
    if (extra !== undefined || !address || isIP(address) === 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n <= (isIP(address) === 4 ? 32 : 128);
  });
  return ok && parts.length > 0 ? parts : null;
}

export interface Config {
  databaseUrl: string | undefined;
  sessionSecret: string;
  /** True when the secret was generated and stored under the data dir on this start. */
  sessionSecretGenerated: boolean;
  port: number;
  /** Worker processes sharing the port (WEB_CONCURRENCY; PostgreSQL only). One: no cluster. */
  workers: number;
  meiliUrl: string | undefined;
  meiliKey: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  dataDir: string;
  /** Seed the demo users and topics into an empty database. */
  demoData: boolean;
  bootstrapAdminEmail: string;
  publicUrl: string | undefined;
  production: boolean;
  trustProxy: false | number | string[];
  /** Bearer token for /metrics; unset, /metrics does not exist. */
  metricsToken: string | undefined;
  /** Sent as X-Instance on every response when set, so an operator (or the cluster test) sees who answered. */
  instanceName: string | undefined;
  /** Single sign-on from the environment (OIDC_*); when set it wins over the admin's settings. */
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string | undefined } | undefined;
  /** smtp(s)://…: mail is sent there. Unset: written to the log in development, off in production. */
  smtpUrl: string | undefined;
  /** The From of every message. */
  smtpFrom: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates the environment. A bad value throws a ConfigError whose message names
 * the variable and what is wrong; the caller prints it on one line and exits.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`),
    );
  }
  const e = parsed.data;
  const oidcSet = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter((v) => v !== undefined).length;
  if (oidcSet > 0 && oidcSet < 3) {
    throw new ConfigError(["OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together (or none of them)"]);
  }
  if (e.SMTP_URL && !e.SMTP_FROM) {
    throw new ConfigError(["SMTP_FROM must be set when SMTP_URL is, e.g. SMTP_FROM=\"Vetted <vetted@example.com>\""]);
  }
  if ((e.WEB_CONCURRENCY ?? 1) > 1 && !e.DATABASE_URL) {
    throw new ConfigError(["WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database (PGlite) belongs to one process"]);
  }
  const dataDir = path.resolve(e.DATA_DIR ?? "./data");
  let sessionSecret = e.SESSION_SECRET;
  let sessionSecretGenerated = false;
  if (!sessionSecret) {
    const file = path.join(dataDir, "session-secret");
    if (existsSync(file)) {
      sessionSecret = readFileSync(file, "utf8").trim();
    } else {
      sessionSecret = randomBytes(32).toString("hex");
      try {
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(file, sessionSecret + "\n", { mode: 0o600 });
      } catch (error) {
        throw new ConfigError([`DATA_DIR ${dataDir}: cannot keep the generated session secret there: ${describeFsError(error)}`]);
      }
      sessionSecretGenerated = true;
    }
  }
  return {
    databaseUrl: e.DATABASE_URL,
    sessionSecret,
    sessionSecretGenerated,
    port: e.PORT ?? 3000,
    workers: e.WEB_CONCURRENCY ?? 1,
    meiliUrl: e.MEILI_URL,
    meiliKey: e.MEILI_KEY,
    logLevel: e.LOG_LEVEL ?? "info",
    dataDir,
    demoData: e.DEMO_DATA ? e.DEMO_DATA === "true" : !e.DATABASE_URL,
    bootstrapAdminEmail: e.BOOTSTRAP_ADMIN_EMAIL ?? "admin@example.com",
    publicUrl: e.PUBLIC_URL,
    production: e.NODE_ENV === "production",
    trustProxy: e.TRUST_PROXY ?? false,
    metricsToken: e.METRICS_TOKEN,
    instanceName: e.INSTANCE_NAME,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, name: e.OIDC_NAME }
        : undefined,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM ?? "Vetted <vetted@localhost>",
  };
}

/** For a process's start: the configuration, or one line naming what is wrong and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`vetted: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

let cached: Config | undefined;
/** The process's configuration, read once. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
