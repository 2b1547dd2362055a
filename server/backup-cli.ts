import { parseArgs } from "node:util";
import { z } from "zod";
import { backupDatabase, restoreDatabase } from "./backup";
import { CliError } from "./cli";
import { ConfigError, loadConfig } from "./config";

/**
 * `npm run backup -- --out FILE` and `npm run restore -- FILE`, for whichever database the
 * environment configures (DATABASE_URL, else the embedded one in DATA_DIR).
 */
const Backup = z.object({ out: z.string({ message: "--out FILE is required: where to write the backup" }).trim().min(1, "--out FILE is required: where to write the backup") });
const Restore = z.tuple([z.string().trim().min(1)], { message: "name one backup file: npm run restore -- FILE" });

async function main(command: string, argv: string[]): Promise<string> {
  const config = loadConfig();
  if (command === "backup") {
    const { values } = parseArgs({ args: argv, options: { out: { type: "string" } }, strict: true });
    const parsed = Backup.safeParse(values);
    if (!parsed.success) throw new CliError(parsed.error.issues[0]!.message);
    const result = await backupDatabase(config, parsed.data.out);
    return `Backed up the ${result.kind === "postgres" ? "PostgreSQL" : "embedded"} database to ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB).`;
  }
  const { positionals } = parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  const parsed = Restore.safeParse(positionals);
  if (!parsed.success) throw new CliError(parsed.error.issues[0]!.message);
  const result = await restoreDatabase(config, parsed.data[0]);
  return `Restored ${parsed.data[0]} into the ${result.kind === "postgres" ? "PostgreSQL" : "embedded"} database${result.keptAt ? `; the previous one is kept in ${result.keptAt}` : ""}. Start the app: it applies any newer migrations.`;
}

const command = process.argv[2] === "restore" ? "restore" : "backup";
main(command, process.argv.slice(3)).then(
  (line) => {
    process.stdout.write(`${line}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    const known = error instanceof CliError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`${command}: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
    process.exit(1);
  },
);
