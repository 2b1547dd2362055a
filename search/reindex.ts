// `npm run reindex`: rebuilds the configured search index from the database.
import { getSearchIndex } from "../app/models/search.server";
import { runCli } from "../server/cli";
import { reindex } from "./outbox";

await runCli("reindex", async ({ database }) => {
  const index = getSearchIndex();
  const started = performance.now();
  const n = await reindex(database.db, index, (done) => process.stderr.write(`\rindexed ${done} answers…`));
  process.stdout.write(`\nReindexed ${n} certified answers into ${index.engine} in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
});
