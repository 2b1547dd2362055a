import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportFaq } from "../../app/models/faq-export.server";
import { root } from "../../server/build-if-stale.mjs";
import { certifiedAnswer, workflowCast } from "../support/answers";
import { testDriver, useFreshDatabase } from "../support/db";

const database = useFreshDatabase();

function treeHash(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

/** Runs `npm run export:faq`'s entry as a separate process; resolves when it prints "paused". */
function startPausedExport(outDir: string, env: Record<string, string>) {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined && !k.startsWith("VITEST") && k !== "TEST_DB") childEnv[k] = v;
  // `node --import tsx` is one process (the tsx binary would fork a child the kill would miss).
  const proc = spawn(process.execPath, ["--import", "tsx", "server/export-faq.ts", "--out", outDir], { cwd: root, env: childEnv as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout.on("data", (d) => (output += String(d)));
  const paused = new Promise<void>((resolve, reject) => {
    proc.stderr.on("data", (d) => {
      output += String(d);
      if (output.includes("export paused after")) resolve();
    });
    proc.on("exit", (code) => reject(new Error(`export exited (${code}) before pausing:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  return { proc, paused, exited };
}

describe("the export is atomic", () => {
  it("a process killed mid-export leaves the previous export complete, and the next run cleans up", async () => {
    const cast = await workflowCast(database.current.db);
    for (const q of ["How do I get a refund?", "Where is my parcel?", "Can I change my address?"]) await certifiedAnswer(database.current.db, cast, { question: q });
    const parent = mkdtempSync(path.join(tmpdir(), "vetted-faq-crash-"));
    const outDir = path.join(parent, "faq");
    const first = await exportFaq(database.current.db, { outDir, baseUrl: "https://help.example.com" });
    const before = treeHash(outDir);

    // On the server the child exports the same database; on PGlite (one process per database)
    // it runs on a fresh embedded one. Either way it is killed after writing one page.
    const env: Record<string, string> =
      testDriver === "postgres" ? { DATABASE_URL: database.current.url! } : { DATA_DIR: mkdtempSync(path.join(tmpdir(), "vetted-faq-db-")) };
    const child = startPausedExport(outDir, { ...env, FAQ_EXPORT_PAUSE_AFTER: "1", LOG_LEVEL: "silent" });
    await child.paused;
    const partial = readdirSync(parent).filter((n) => n.startsWith(".faq.tmp-"));
    expect(partial).toHaveLength(1); // it was really writing, beside the output
    child.proc.kill("SIGKILL");
    await child.exited;

    expect(treeHash(outDir)).toBe(before);
    expect(existsSync(path.join(outDir, "index.html"))).toBe(true);

    const again = await exportFaq(database.current.db, { outDir, baseUrl: "https://help.example.com" });
    expect(again.pages).toBe(first.pages);
    expect(treeHash(outDir)).toBe(before);
    expect(readdirSync(parent)).toEqual(["faq"]); // the dead export's temporary folder is gone
  }, 90_000);
});
