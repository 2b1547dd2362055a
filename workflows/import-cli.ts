// `npm run import -- file.jsonl [--as drafts|certified] [--topic T] [--skip-invalid] [--as-user email]`
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { getSearchIndex } from "../app/models/search.server";
import { drainAll } from "../search/outbox";
import { CliError, runCli } from "../server/cli";
import { importAnswers, ImportError } from "./import";

const Args = z.object({
  file: z.string({ message: "give the file to import: npm run import -- answers.jsonl" }),
  as: z.enum(["drafts", "certified"], { message: "--as is drafts or certified" }).default("drafts"),
  topic: z.string().optional(),
  "skip-invalid": z.boolean().default(false),
  "as-user": z.email("--as-user is an email address").optional(),
});

await runCli("import", async ({ database }) => {
  let parsed;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: { as: { type: "string" }, topic: { type: "string" }, "skip-invalid": { type: "boolean" }, "as-user": { type: "string" } },
    });
    parsed = Args.safeParse({ ...values, file: positionals[0] });
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => i.message).join("; "), 2);
  const a = parsed.data;
  let text: string;
  try {
    text = readFileSync(a.file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${a.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  const started = performance.now();
  try {
    const report = await importAnswers(database.db, lines, {
      as: a.as,
      ...(a.topic ? { topic: a.topic } : {}),
      skipInvalid: a["skip-invalid"],
      ...(a["as-user"] ? { userEmail: a["as-user"] } : {}),
      onProgress: (phase, done, total) => process.stderr.write(`\r${phase} ${done}/${total}…`),
    });
    process.stderr.write("\n");
    if (a.as === "certified") {
      const indexed = await drainAll(database.db, getSearchIndex());
      process.stderr.write(`indexed ${indexed} answers for search\n`);
    }
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Imported ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged answers as ${a.as} in ${secs} s.` +
        (report.topicsCreated.length ? ` Created topics: ${report.topicsCreated.join(", ")}.` : "") +
        "\n",
    );
    if (report.skipped.length > 0) {
      process.stdout.write(`Skipped ${report.skipped.length} invalid line${report.skipped.length === 1 ? "" : "s"}:\n`);
      for (const p of report.skipped.slice(0, 20)) process.stdout.write(`  line ${p.line}: ${p.message}\n`);
    }
  } catch (error) {
    if (error instanceof ImportError) {
      const details = error.problems.slice(0, 10).map((p) => `\n  line ${p.line}: ${p.message}`).join("");
      throw new CliError(`${error.message}${details}`);
    }
    throw error;
  }
});
