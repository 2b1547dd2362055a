import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderToStaticMarkup } from "react-dom/server";
import type { ReactElement } from "react";
import type { Db } from "../../db/client.server";
import { FaqDocument } from "../ui/faq/document";
import { FaqAnswerPage, FaqHomePage, FaqNotFoundPage, FaqSearchPage, FaqTopicPage } from "../ui/faq/pages";
import { SEARCH_SCRIPT } from "../ui/faq/search-script";
import { answerHead, homeHead, searchHead, topicHead, type FaqHead } from "../ui/faq/seo";
import { exportFaqUrls } from "../ui/faq/urls";
import { getBranding, getFaqTopic, listFaqTopics, popularFaqAnswers, publicAnswerBatch } from "./faq.server";
import { syncFaqSlugs } from "./faq-slugs.server";

export interface ExportOptions {
  /** The folder the site ends up in (replaced whole, atomically). */
  outDir: string;
  /** Where it will be served: absolute addresses (canonical, sitemap) and the base path of links. */
  baseUrl: string;
  batchSize?: number;
  onProgress?: (event: { pages: number; phase: string }) => void;
  /**
   * Test hook: stop writing after this many pages and wait forever, so a test can kill the
   * process mid-export (FAQ_EXPORT_PAUSE_AFTER in the CLI).
   */
  pauseAfterPages?: number;
  /**
   * Folders the export must never replace, nor any folder that contains them (the CLI passes
   * DATA_DIR: the database and the session secret live there).
   */
  protectedDirs?: string[];
}

export interface ExportSummary {
  outDir: string;
  pages: number;
  files: number;
  bytes: number;
  ms: number;
  /** Of `ms`, the time spent deleting the previous export after the swap. */
  removeOldMs: number;
}

const FAVICON = readFileSync(new URL("../../public/favicon.svg", import.meta.url));

/** A search-index entry: question, other phrasings, short answer, topic, address. */
interface IndexEntry {
  q: string;
  k: string;
  a: string;
  t: string;
  u: string;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Written into every export. `outDir` is replaced whole, so only a folder that carries this
 * marker (an earlier export), an empty one or a new one may be the target: `--out $DATA_DIR`
 * once deleted the database and the session secret.
 */
export const EXPORT_MARKER = ".vetted-faq-export";
const MARKER_CONTENT = "This folder was written by `npm run export:faq` and is replaced whole by the next export.\n";

/** The output folder may not be replaced; the message is one line, meant for the user. */
export class ExportTargetError extends Error {
  override name = "ExportTargetError";
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** `dir` is `other` or one of its ancestors (replacing it would delete `other`). */
function containsOrIs(dir: string, other: string): boolean {
  const rel = path.relative(dir, other);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Throws ExportTargetError unless `outDir` is new, empty, or an earlier export. */
export function checkExportTarget(outDir: string, protectedDirs: string[] = []): void {
  const target = real(outDir);
  const guarded: [string, string][] = [
    [path.parse(target).root, "the file-system root"],
    [real(homedir()), "your home folder"],
    [real(REPO_ROOT), "the Vetted checkout"],
    [real(process.cwd()), "the current folder"],
    ...protectedDirs.map((d): [string, string] => [real(d), `the data folder (${d})`]),
  ];
  for (const [dir, what] of guarded) {
    if (containsOrIs(target, dir)) throw new ExportTargetError(`refusing to export into ${outDir}: it is or contains ${what}, which the export would delete; choose a new folder such as ./faq-site`);
  }
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new ExportTargetError(`refusing to export into ${outDir}: it is a file, not a folder; choose a new folder`);
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes(EXPORT_MARKER)) {
    throw new ExportTargetError(`refusing to replace ${outDir}: it is not empty and no earlier export made it (no ${EXPORT_MARKER} file); choose a new or empty folder`);
  }
}

function tempSibling(outDir: string, kind: "tmp" | "old"): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.${kind}-${process.pid}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Leftovers of an export that crashed (its process is gone) are removed; a running one's are left alone. */
async function removeStaleTemps(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  if (!existsSync(parent)) return;
  const prefix = `.${path.basename(outDir)}.`;
  for (const name of await readdir(parent)) {
    const m = name.startsWith(prefix) ? /^(tmp|old)-(\d+)$/.exec(name.slice(prefix.length)) : null;
    if (m && (Number(m[2]) === process.pid || !pidAlive(Number(m[2])))) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Writes the public FAQ as static HTML + CSS into a temporary folder beside `outDir`, then
 * swaps it in with renames: a crash at any point before the swap leaves the previous export
 * untouched. Deterministic: the same content gives byte-identical files (no clock, stable order).
 */
export async function exportFaq(db: Db, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const outDir = path.resolve(options.outDir);
  const urls = exportFaqUrls(options.baseUrl);
  const batchSize = options.batchSize ?? 500;
  checkExportTarget(outDir, options.protectedDirs);
  await removeStaleTemps(outDir);
  await syncFaqSlugs(db);
  const tmp = tempSibling(outDir, "tmp");
  await mkdir(tmp, { recursive: true });

  let pages = 0;
  let files = 0;
  let bytes = 0;
  // Plain synchronous writes: measured on ext4, one page is a mkdir, an open, a write and a
  // close, and with nothing else to do meanwhile, handing them to libuv's thread pool only
  // adds round trips through the event loop (10,000 pages: 4–5 s of writing async with 64 in
  // flight, ~2 s synchronously). Folders are made with one plain mkdir each, parents first:
  // shared folders (topics, assets) once, remembered; a page's own folder is new by construction.
  const dirs = new Set<string>([tmp]);
  const ensureDir = (dir: string): void => {
    if (dirs.has(dir)) return;
    ensureDir(path.dirname(dir));
    mkdirSync(dir);
    dirs.add(dir);
  };
  const write = (rel: string, content: string | Buffer, leaf = false) => {
    const file = path.join(tmp, rel);
    const dir = path.dirname(file);
    files++;
    bytes += typeof content === "string" ? Buffer.byteLength(content) : content.length;
    if (leaf && dir !== tmp) {
      ensureDir(path.dirname(dir));
      mkdirSync(dir);
    } else ensureDir(dir);
    writeFileSync(file, content);
  };
  // The two files that list every answer are streamed as pages go, not built in memory, so the
  // export's memory does not grow with the number of answers.
  const stream = (rel: string) => {
    const out = createWriteStream(path.join(tmp, rel));
    let size = 0;
    return {
      async write(chunk: string) {
        size += Buffer.byteLength(chunk);
        if (!out.write(chunk)) await once(out, "drain");
      },
      async end() {
        files++;
        bytes += size;
        await new Promise<void>((resolve, reject) => out.once("error", reject).end(resolve));
      },
    };
  };
  const sitemap = stream("sitemap.xml");
  await sitemap.write(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n`);
  const searchIndex = stream("search-index.json");
  let indexed = 0;
  const addToIndex = (entry: IndexEntry) => searchIndex.write(`${indexed++ === 0 ? "[" : ","}${JSON.stringify(entry)}`);
  const relOf = (href: string) => href.slice(urls.home.length);
  const branding = await getBranding(db);
  const faviconUrl = `${urls.home}favicon.svg`;
  /** `leaf`: the page's folder holds nothing else (an answer), so it is made without a check. */
  const page = async (href: string, head: FaqHead, body: ReactElement, { script, leaf = false }: { script?: { src: string; integrity: string }; leaf?: boolean } = {}) => {
    const html = `<!DOCTYPE html>${renderToStaticMarkup(
      <FaqDocument head={head} siteName={branding.companyName} faviconUrl={faviconUrl} {...(script ? { script } : {})}>
        {body}
      </FaqDocument>,
    )}`;
    write(path.join(relOf(href), "index.html"), html, leaf);
    if (!head.noindex) await sitemap.write(`  <url><loc>${xmlEscape(head.canonical)}</loc></url>\n`);
    pages++;
    if (pages % 1000 === 0) options.onProgress?.({ pages, phase: "answers" });
    if (options.pauseAfterPages !== undefined && pages >= options.pauseAfterPages) {
      process.stderr.write(`export paused after ${pages} pages\n`);
      await new Promise(() => setInterval(() => {}, 60_000));
    }
  };

  const [topics, popular] = await Promise.all([listFaqTopics(db), popularFaqAnswers(10, db)]);
  await page(urls.home, homeHead(branding, urls), <FaqHomePage branding={branding} urls={urls} topics={topics} popular={popular} />);
  const indexUrl = `${urls.home}search-index.json`;
  await page(urls.search, searchHead(branding, urls), <FaqSearchPage branding={branding} urls={urls} query="" results={null} indexUrl={indexUrl} />, {
    script: { src: `${urls.home}assets/search.js`, integrity: `sha384-${createHash("sha384").update(SEARCH_SCRIPT).digest("base64")}` },
  });
  for (const t of topics) {
    const found = await getFaqTopic(t.slug, db);
    if (!found) continue;
    await page(urls.topic(t.slug), topicHead(branding, urls, found.topic, found.answers), <FaqTopicPage branding={branding} urls={urls} topic={found.topic} answers={found.answers} />);
  }
  options.onProgress?.({ pages, phase: "topics" });

  // Batches in address order; the next one is fetched while this one renders and writes.
  let next = publicAnswerBatch(null, batchSize, db);
  for (;;) {
    // (Handled here; an error still reaches the await below. Without this, a write error
    // thrown meanwhile would leave a failed prefetch unhandled and kill the process.)
    next.catch(() => {});
    const batch = await next;
    if (batch.length === 0) break;
    const last = batch[batch.length - 1]!;
    next = batch.length < batchSize ? Promise.resolve([]) : publicAnswerBatch({ topicSlug: last.topicSlug, slug: last.slug }, batchSize, db);
    for (const answer of batch) {
      const href = urls.answer(answer.topicSlug, answer.slug);
      await page(href, answerHead(branding, urls, answer), <FaqAnswerPage branding={branding} urls={urls} answer={answer} />, { leaf: true });
      await addToIndex({ q: answer.question, k: answer.alternatives.join(" "), a: answer.shortAnswer, t: answer.topicName, u: href });
    }
  }
  await searchIndex.write(indexed === 0 ? "[]" : "]");
  await searchIndex.end();
  await sitemap.write("</urlset>\n");
  await sitemap.end();

  write("assets/search.js", SEARCH_SCRIPT);
  write("favicon.svg", FAVICON);
  write(EXPORT_MARKER, MARKER_CONTENT);
  write("robots.txt", `User-agent: *\nAllow: /\nSitemap: ${urls.absolute(`${urls.home}sitemap.xml`)}\n`);
  write(
    "404.html",
    `<!DOCTYPE html>${renderToStaticMarkup(
      <FaqDocument head={{ ...homeHead(branding, urls), title: `Page not found · ${branding.companyName} Help`, noindex: true }} siteName={branding.companyName} faviconUrl={faviconUrl}>
        <FaqNotFoundPage branding={branding} urls={urls} />
      </FaqDocument>,
    )}`,
  );

  // The swap: the old export stays complete until the new one is whole on disk.
  const old = tempSibling(outDir, "old");
  let removeOldMs = 0;
  // Again at the swap: the folder may have been filled meanwhile, and refusing costs nothing.
  try {
    checkExportTarget(outDir, options.protectedDirs);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(outDir)) {
    await rename(outDir, old);
    await rename(tmp, outDir);
    const removing = performance.now();
    await rm(old, { recursive: true, force: true });
    removeOldMs = Math.round(performance.now() - removing);
  } else {
    await rename(tmp, outDir);
  }
  return { outDir, pages, files, bytes, ms: Math.round(performance.now() - started), removeOldMs };
}
