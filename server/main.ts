import cluster from "node:cluster";
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { setDatabase, type Database } from "../db/client.server";
import { withStartupLock } from "../db/migrate";
import { hasUsers, isDemo, seedDemo } from "../db/seed";
import { loadConfigOrExit } from "./config";
import { openDatabase, StartupError } from "./database";
import { describeFsError } from "./fs-errors";
import { createHttpApp } from "./http";
import { startJobs } from "./jobs";
import { registerStateMetrics } from "./state-metrics";
import { createLogger, setLogger } from "./logger";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHUTDOWN_DEADLINE_MS = 4500;

/** The demo seed runs the real workflow: its Inbox items stay, the mail they queued is not sent. */
async function seedDemoWithoutMail(db: Database["db"]): Promise<void> {
  const { mailQueueMark, skipMailQueuedAfter } = await import("../app/notifications/mail-queue.server");
  const mark = await mailQueueMark(db);
  await seedDemo(db);
  await skipMailQueuedAfter(db, mark, "demo data: not sent");
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel);
  setLogger(log);
  if (config.sessionSecretGenerated) {
    log.warn({ file: path.join(config.dataDir, "session-secret") }, "SESSION_SECRET is not set: generated one and kept it under the data directory");
  }

  let database: Database;
  try {
    database = await openDatabase(config, log);
  } catch (error) {
    if (error instanceof StartupError) {
      process.stderr.write(`vetted: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  setDatabase(database);

  // Instances started together seed one at a time (the demo seed is idempotent, not concurrent-safe).
  await withStartupLock(database, async () => {
    if (!(await hasUsers(database.db))) {
      if (config.demoData) {
        await seedDemoWithoutMail(database.db);
        log.info("empty database: seeded the demo users and topics");
      } else {
        const { bootstrapAdmin } = await import("./bootstrap");
        await bootstrapAdmin(config, log);
      }
    } else if (config.demoData && (await isDemo(database.db))) {
      // Keeps the demo complete when later versions add demo content; idempotent.
      await seedDemoWithoutMail(database.db);
    }
    // Public answers certified before the FAQ existed (or inserted in bulk) get their addresses.
    const { syncFaqSlugs } = await import("../app/models/faq-slugs.server");
    const slugged = await syncFaqSlugs(database.db);
    if (slugged > 0) log.info({ answers: slugged }, "gave public answers their FAQ addresses");
  });

  const buildPath = path.join(root, "build/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const app = createHttpApp(build, log);
  const stopJobs = startJobs(log);
  registerStateMetrics();
  // The first agent's search should not wait for the index to load (seconds at 100,000 answers).
  const { warmUpSearch } = await import("../app/models/search.server");
  const warming = performance.now();
  const warmed = warmUpSearch().then(
    () => log.info({ ms: Math.round(performance.now() - warming) }, "search index loaded"),
    (error: unknown) => log.error({ err: error }, "loading the search index failed; searches will retry"),
  );
  // A cluster's worker takes connections only once its copy is loaded: the port is shared, so
  // until then its siblings answer (a replaced worker never makes searches wait). A single
  // process listens at once and says "not ready" on /ready meanwhile.
  if (cluster.isWorker) await warmed;

  const server: Server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.once("error", reject);
  }).catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === "EADDRINUSE" ? "is already in use by another process" : error.code === "EACCES" ? "needs more privileges" : error.message;
    process.stderr.write(`vetted: PORT ${config.port} ${reason}\n`);
    void database.close().finally(() => process.exit(1));
    return new Promise<never>(() => {});
  });
  server.keepAliveTimeout = 5000;
  log.info(
    { port: config.port, url: `http://localhost:${config.port}`, driver: database.driver, startupMs: Math.round(performance.now() - startedAt) },
    "Vetted is listening",
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: no new connections, finishing requests in flight");
    const hardStop = setTimeout(() => {
      log.error("in-flight requests did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS + 400);
    hardStop.unref();
    stopJobs();
    // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
    server.close(() => {
      void database
        .close()
        .catch((error: unknown) => log.error({ err: error }, "closing the database failed"))
        .finally(() => {
          log.info("stopped");
          process.exit(0);
        });
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_DEADLINE_MS - 1000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  // One line a person can act on; the stack only when asked for (LOG_LEVEL=debug).
  process.stderr.write(`vetted: failed to start: ${describeFsError(error)}\n`);
  if (process.env.LOG_LEVEL === "debug" || process.env.LOG_LEVEL === "trace") process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  process.exit(1);
});
