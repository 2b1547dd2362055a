import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkExportTarget, EXPORT_MARKER, exportFaq, ExportTargetError } from "../../app/models/faq-export.server";
import { root } from "../../server/build-if-stale.mjs";
import { certifiedAnswer, workflowCast } from "../support/answers";
import { testDriver, useFreshDatabase } from "../support/db";

const database = useFreshDatabase();
const baseUrl = "https://help.example.com";

function runExport(out: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined && !k.startsWith("VITEST") && k !== "TEST_DB") childEnv[k] = v;
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const proc = spawn(process.execPath, ["--import", "tsx", "server/export-faq.ts", "--out", out], { cwd: root, env: childEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (d) => (stdout += String(d)));
  proc.stderr.on("data", (d) => (stderr += String(d)));
  return new Promise((resolve) => proc.on("exit", (code) => resolve({ code, stdout, stderr })));
}

function unrelatedFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "vetted-unrelated-"));
  writeFileSync(path.join(dir, "thesis.docx"), "years of work");
  mkdirSync(path.join(dir, "photos"));
  writeFileSync(path.join(dir, "photos", "cat.jpg"), "meow");
  return dir;
}

describe("export:faq --out replaces only an earlier export", () => {
  it("the CLI refuses the data folder, an unrelated folder, the checkout and / with one line and a non-zero exit", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "vetted-export-data-"));
    writeFileSync(path.join(dataDir, "session-secret"), "s".repeat(64) + "\n");
    // On PGlite the CLI's database lives in DATA_DIR itself (the case that once deleted it).
    const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: "silent", SESSION_SECRET: "" };
    if (testDriver === "postgres") env.DATABASE_URL = database.current.url!;
    const before = readdirSync(dataDir).sort();

    const intoData = await runExport(dataDir, env);
    expect(intoData.code, intoData.stderr).not.toBe(0);
    expect(intoData.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^export:faq: refusing to export into .*data folder/)]);
    expect(readdirSync(dataDir).sort()).toEqual(expect.arrayContaining(before));
    expect(readFileSync(path.join(dataDir, "session-secret"), "utf8")).toBe("s".repeat(64) + "\n");
    if (testDriver === "pglite") expect(readdirSync(dataDir).length).toBeGreaterThan(1); // the database is still there

    const unrelated = unrelatedFolder();
    const intoUnrelated = await runExport(unrelated, env);
    expect(intoUnrelated.code).not.toBe(0);
    expect(intoUnrelated.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^export:faq: refusing to replace .*not empty and no earlier export made it/)]);
    expect(readFileSync(path.join(unrelated, "photos", "cat.jpg"), "utf8")).toBe("meow");
    expect(readdirSync(path.dirname(unrelated)).filter((n) => n.startsWith(`.${path.basename(unrelated)}.`))).toEqual([]);

    for (const dangerous of [root, "/"]) {
      const run = await runExport(dangerous, env);
      expect(run.code).not.toBe(0);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^export:faq: refusing to export into /)]);
    }
    expect(existsSync(path.join(root, "package.json"))).toBe(true);
  }, 120_000);

  it("the module writes a marker, replaces a marked or empty folder, and refuses anything else", async () => {
    const cast = await workflowCast(database.current.db);
    await certifiedAnswer(database.current.db, cast, { question: "How do I get a refund?" });
    const parent = mkdtempSync(path.join(tmpdir(), "vetted-export-target-"));

    const fresh = path.join(parent, "site");
    await exportFaq(database.current.db, { outDir: fresh, baseUrl });
    expect(existsSync(path.join(fresh, EXPORT_MARKER))).toBe(true);
    await exportFaq(database.current.db, { outDir: fresh, baseUrl }); // an earlier export: replaced
    expect(existsSync(path.join(fresh, "index.html"))).toBe(true);

    const empty = path.join(parent, "empty");
    mkdirSync(empty);
    await exportFaq(database.current.db, { outDir: empty, baseUrl });
    expect(existsSync(path.join(empty, EXPORT_MARKER))).toBe(true);

    const unrelated = unrelatedFolder();
    await expect(exportFaq(database.current.db, { outDir: unrelated, baseUrl })).rejects.toThrow(ExportTargetError);
    expect(readdirSync(unrelated).sort()).toEqual(["photos", "thesis.docx"]);

    // Nested, so its parent is not the temp folder itself (which may hold the checkout, as a fresh
    // clone in /tmp does, and would be refused as that first).
    const data = path.join(mkdtempSync(path.join(tmpdir(), "vetted-export-data-")), "data");
    mkdirSync(data);
    await expect(exportFaq(database.current.db, { outDir: data, baseUrl, protectedDirs: [data] })).rejects.toThrow(/data folder/);
    // Nor a folder that contains the data folder.
    expect(() => checkExportTarget(path.dirname(data), [data])).toThrow(/data folder/);
    expect(() => checkExportTarget("/")).toThrow(/file-system root/);
    expect(() => checkExportTarget(root)).toThrow(/checkout|current folder/);
    const file = path.join(parent, "a-file");
    writeFileSync(file, "x");
    expect(() => checkExportTarget(file)).toThrow(/is a file/);
  }, 60_000);
});
