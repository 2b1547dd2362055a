// `npm run db:migrate`: applies the migrations to the configured database. Its own entry file:
// db/migrate.ts is imported by server/database.ts, and a command living there would import
// itself through server/cli.ts (a top-level-await cycle that exits 13 without a word).
import { runCli } from "../server/cli";
import { migrateDatabase } from "./migrate";

await runCli("db:migrate", async ({ database, log }) => {
  await migrateDatabase(database);
  log.info({ driver: database.driver }, "migrations applied");
});
