// `npm run export:faq -- --out dist/faq [--base-url https://help.example.com]`: writes the public
// FAQ as a static site (see app/models/faq-export.server.tsx). Uses DATABASE_URL or the embedded
// database in DATA_DIR, like the server.
import path from "node:path";
import { z } from "zod";
import { CliError, runCli } from "./cli";

// React picks its build when first imported: the development one renders pages 2–3× slower
// (prop validation, dev warnings). An export is production work unless told otherwise.
process.env.NODE_ENV ??= "production";
const { exportFaq, ExportTargetError } = await import("../app/models/faq-export.server");

const Args = z.object({
  out: z.string({ message: "--out <folder> is required" }).min(1, "--out <folder> is required"),
  baseUrl: z
    .string()
    .default("http://localhost:8080")
    .refine((u) => /^https?:\/\/[^\s]+$/.test(u) && URL.canParse(u), "--base-url must be an absolute http(s) address, e.g. https://help.example.com"),
  pauseAfter: z.coerce.number().int().positive().optional(),
});

function parseArgs(argv: string[]): z.infer<typeof Args> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--(out|base-url)(?:=(.*))?$/.exec(arg);
    if (!m) throw new CliError(`unknown argument ${arg}; usage: export:faq -- --out <folder> [--base-url https://help.example.com]`, 2);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new CliError(`--${m[1]} needs a value`, 2);
    raw[m[1] === "out" ? "out" : "baseUrl"] = value;
  }
  const parsed = Args.safeParse({ ...raw, pauseAfter: process.env.FAQ_EXPORT_PAUSE_AFTER || undefined });
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => i.message).join("; "), 2);
  return parsed.data;
}

await runCli("export:faq", async ({ config, database }) => {
  const args = parseArgs(process.argv.slice(2));
  const outDir = path.resolve(args.out);
  process.stdout.write(`exporting the public FAQ to ${outDir} (base ${args.baseUrl})\n`);
  const summary = await exportFaq(database.db, {
    outDir,
    baseUrl: args.baseUrl,
    protectedDirs: [config.dataDir],
    onProgress: ({ pages, phase }) => process.stdout.write(`  ${phase}: ${pages} pages written\n`),
    ...(args.pauseAfter ? { pauseAfterPages: args.pauseAfter } : {}),
  }).catch((error: unknown) => {
    throw error instanceof ExportTargetError ? new CliError(error.message, 2) : error;
  });
  process.stdout.write(
    `done: ${summary.pages} pages, ${summary.files} files, ${(summary.bytes / 1024).toFixed(1)} KiB in ${(summary.ms / 1000).toFixed(2)} s → ${summary.outDir}\n`,
  );
});
