import type { Logger } from "pino";
import type { Database } from "../db/client.server";
import { ConfigError, loadConfig, type Config } from "./config";
import { openDatabase, StartupError } from "./database";
import { createLogger, setLogger } from "./logger";

export interface CliContext {
  config: Config;
  database: Database;
  log: Logger;
}

/** A command-line failure with a message meant for the user; exits non-zero without a stack. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Runs a command with a validated config and an open, migrated database; prints a one-line
 * error and exits non-zero on failure, and always closes the database.
 */
export async function runCli(name: string, body: (ctx: CliContext) => Promise<void>): Promise<never> {
  let database: Database | undefined;
  let code = 0;
  try {
    const config = loadConfig();
    const log = createLogger(process.env.LOG_LEVEL ?? "warn");
    setLogger(log);
    database = await openDatabase(config, log);
    const { setDatabase } = await import("../db/client.server");
    setDatabase(database);
    await body({ config, database, log });
  } catch (error) {
    code = error instanceof CliError ? error.exitCode : 1;
    if (error instanceof ConfigError || error instanceof StartupError || error instanceof CliError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      process.stderr.write(`${name}: failed: ${(error as Error)?.stack ?? String(error)}\n`);
    }
  } finally {
    await database?.close().catch(() => {});
  }
  process.exit(code);
}
