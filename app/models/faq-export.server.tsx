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
import { SEARCH_INDEX_GLOBAL, SEARCH_SCRIPT } from "../ui/faq/search-script";
import { answerHead, homeHead, searchHead, topicHead, type FaqHead } from "../ui/faq/seo";
import { exportFaqRootedUrls, exportFaqUrls, exportFolders, type FaqUrls } from "../ui/faq/urls";
import { getBranding, getFaqTopic, listFaqTopics, popularFaqAnswers, publicAnswerBatch } from "./faq.server";
import { syncFaqSlugs } from "./faq-slugs.server";

export interface ExportOptions {
  /** The folder the site ends up in (replaced whole, atomically). */
  outDir: string;
  /**
   * Where it will be served: absolute addresses (canonical, Open Graph, sitemap). Links between
   * pages are relative to each page, so the folder also works from another path or from disk.
   */
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
const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url));

/**
 * The file a branding address names when it is one the app serves from public/ (a logo set as
 * `/logo.svg`): the export copies it in, since a site path means nothing on disk. Null otherwise.
 */
function publicFile(url: string): string | null {
  if (!/^\/(?!\/)/.test(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, "http://x").pathname);
  } catch {
    return null;
  }
  const file = path.join(PUBLIC_DIR, pathname);
  if (file === PUBLIC_DIR || !containsOrIs(PUBLIC_DIR, file)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** A search-index entry: question, other phrasings, short answer, topic, address (relative to the export's root). */
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
  // The index twice, the same entries: search-index.json for any tool that reads it, and
  // search-index.js for the search page, which a page opened from disk may load (not fetch).
  const searchIndex = stream("search-index.json");
  const searchIndexScript = stream("search-index.js");
  await searchIndexScript.write(`window.${SEARCH_INDEX_GLOBAL}=`);
  let indexed = 0;
  const addToIndex = async (entry: IndexEntry) => {
    const chunk = `${indexed++ === 0 ? "[" : ","}${JSON.stringify(entry)}`;
    await searchIndex.write(chunk);
    await searchIndexScript.write(chunk);
  };
  const branding = await getBranding(db);
  // A logo the app serves from public/ is copied in; its page-relative link comes from `urls`.
  const copied = new Map<string, string>();
  const logoFile = branding.logoUrl ? publicFile(branding.logoUrl) : null;
  if (logoFile) copied.set(branding.logoUrl, `assets/branding/${path.basename(logoFile)}`);
  /**
   * One page, written in `folder` (one of `exportFolders`) with links relative to it.
   * `leaf`: the page's folder holds nothing else (an answer), so it is made without a check.
   */
  const page = async (folder: string, head: (urls: FaqUrls) => FaqHead, body: (urls: FaqUrls) => ReactElement, { scripts = [], leaf = false }: { scripts?: string[]; leaf?: boolean } = {}) => {
    const urls = exportFaqUrls(options.baseUrl, folder, copied);
    const pageHead = head(urls);
    const html = `<!DOCTYPE html>${renderToStaticMarkup(
      <FaqDocument head={pageHead} siteName={branding.companyName} faviconUrl={urls.asset("favicon.svg")} scripts={scripts.map((s) => urls.asset(s))}>
        {body(urls)}
      </FaqDocument>,
    )}`;
    write(path.join(folder, "index.html"), html, leaf);
    if (!pageHead.noindex) await sitemap.write(`  <url><loc>${xmlEscape(pageHead.canonical)}</loc></url>\n`);
    pages++;
    if (pages % 1000 === 0) options.onProgress?.({ pages, phase: "answers" });
    if (options.pauseAfterPages !== undefined && pages >= options.pauseAfterPages) {
      process.stderr.write(`export paused after ${pages} pages\n`);
      await new Promise(() => setInterval(() => {}, 60_000));
    }
  };

  const [topics, popular] = await Promise.all([listFaqTopics(db), popularFaqAnswers(10, db)]);
  await page(
    exportFolders.home,
    (urls) => homeHead(branding, urls),
    (urls) => <FaqHomePage branding={branding} urls={urls} topics={topics} popular={popular} />,
  );
  await page(
    exportFolders.search,
    (urls) => searchHead(branding, urls),
    (urls) => <FaqSearchPage branding={branding} urls={urls} query="" results={null} siteRoot={urls.asset("")} />,
    // In this order: `defer` scripts run in document order, the index first.
    { scripts: ["search-index.js", "assets/search.js"] },
  );
  for (const t of topics) {
    const found = await getFaqTopic(t.slug, db);
    if (!found) continue;
    await page(
      exportFolders.topic(t.slug),
      (urls) => topicHead(branding, urls, found.topic, found.answers),
      (urls) => <FaqTopicPage branding={branding} urls={urls} topic={found.topic} answers={found.answers} />,
    );
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
      const folder = exportFolders.answer(answer.topicSlug, answer.slug);
      await page(folder, (urls) => answerHead(branding, urls, answer), (urls) => <FaqAnswerPage branding={branding} urls={urls} answer={answer} />, { leaf: true });
      await addToIndex({ q: answer.question, k: answer.alternatives.join(" "), a: answer.shortAnswer, t: answer.topicName, u: `${folder}index.html` });
    }
  }
  await searchIndex.write(indexed === 0 ? "[]" : "]");
  await searchIndex.end();
  await searchIndexScript.write(indexed === 0 ? "[];\n" : "];\n");
  await searchIndexScript.end();
  await sitemap.write("</urlset>\n");
  await sitemap.end();

  write("assets/search.js", SEARCH_SCRIPT);
  write("favicon.svg", FAVICON);
  for (const [url, file] of copied) write(file, readFileSync(publicFile(url)!));
  write(EXPORT_MARKER, MARKER_CONTENT);
  const rooted = exportFaqRootedUrls(options.baseUrl, copied);
  write("robots.txt", `User-agent: *\nAllow: /\nSitemap: ${rooted.canonical.home}sitemap.xml\n`);
  write(
    "404.html",
    `<!DOCTYPE html>${renderToStaticMarkup(
      <FaqDocument head={{ ...homeHead(branding, rooted), title: `Page not found · ${branding.companyName} Help`, noindex: true }} siteName={branding.companyName} faviconUrl={rooted.asset("favicon.svg")}>
        <FaqNotFoundPage branding={branding} urls={rooted} />
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
