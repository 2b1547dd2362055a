import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
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
}

export interface ExportSummary {
  outDir: string;
  pages: number;
  files: number;
  bytes: number;
  ms: number;
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
  await removeStaleTemps(outDir);
  await syncFaqSlugs(db);
  const tmp = tempSibling(outDir, "tmp");
  await mkdir(tmp, { recursive: true });

  let pages = 0;
  let files = 0;
  let bytes = 0;
  const sitemap: string[] = [];
  // Rendering is CPU, writing is I/O: keep up to 64 writes in flight while the next pages render.
  let pending: Promise<void>[] = [];
  const flush = async () => {
    await Promise.all(pending);
    pending = [];
  };
  const write = async (rel: string, content: string | Buffer) => {
    const file = path.join(tmp, rel);
    pending.push(mkdir(path.dirname(file), { recursive: true }).then(() => writeFile(file, content)));
    files++;
    bytes += typeof content === "string" ? Buffer.byteLength(content) : content.length;
    if (pending.length >= 64) await flush();
  };
  const relOf = (href: string) => href.slice(urls.home.length);
  const branding = await getBranding(db);
  const faviconUrl = `${urls.home}favicon.svg`;
  const page = async (href: string, head: FaqHead, body: ReactElement, script?: { src: string; integrity: string }) => {
    const html = `<!DOCTYPE html>${renderToStaticMarkup(
      <FaqDocument head={head} siteName={branding.companyName} faviconUrl={faviconUrl} {...(script ? { script } : {})}>
        {body}
      </FaqDocument>,
    )}`;
    await write(path.join(relOf(href), "index.html"), html);
    if (!head.noindex) sitemap.push(head.canonical);
    pages++;
    if (pages % 1000 === 0) options.onProgress?.({ pages, phase: "answers" });
    if (options.pauseAfterPages !== undefined && pages >= options.pauseAfterPages) {
      await flush();
      process.stderr.write(`export paused after ${pages} pages\n`);
      await new Promise(() => setInterval(() => {}, 60_000));
    }
  };

  const [topics, popular] = await Promise.all([listFaqTopics(db), popularFaqAnswers(10, db)]);
  await page(urls.home, homeHead(branding, urls), <FaqHomePage branding={branding} urls={urls} topics={topics} popular={popular} />);
  const indexUrl = `${urls.home}search-index.json`;
  await page(urls.search, searchHead(branding, urls), <FaqSearchPage branding={branding} urls={urls} query="" results={null} indexUrl={indexUrl} />, {
    src: `${urls.home}assets/search.js`,
    integrity: `sha384-${createHash("sha384").update(SEARCH_SCRIPT).digest("base64")}`,
  });
  for (const t of topics) {
    const found = await getFaqTopic(t.slug, db);
    if (!found) continue;
    await page(urls.topic(t.slug), topicHead(branding, urls, found.topic, found.answers), <FaqTopicPage branding={branding} urls={urls} topic={found.topic} answers={found.answers} />);
  }
  options.onProgress?.({ pages, phase: "topics" });

  const index: IndexEntry[] = [];
  let after: { topicSlug: string; slug: string } | null = null;
  for (;;) {
    const batch = await publicAnswerBatch(after, batchSize, db);
    if (batch.length === 0) break;
    for (const answer of batch) {
      const href = urls.answer(answer.topicSlug, answer.slug);
      await page(href, answerHead(branding, urls, answer), <FaqAnswerPage branding={branding} urls={urls} answer={answer} />);
      index.push({ q: answer.question, k: answer.alternatives.join(" "), a: answer.shortAnswer, t: answer.topicName, u: href });
    }
    const last = batch[batch.length - 1]!;
    after = { topicSlug: last.topicSlug, slug: last.slug };
  }

  await write("search-index.json", JSON.stringify(index));
  await write("assets/search.js", SEARCH_SCRIPT);
  await write("favicon.svg", FAVICON);
  await write(
    "sitemap.xml",
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${sitemap
      .map((u) => `  <url><loc>${xmlEscape(u)}</loc></url>\n`)
      .join("")}</urlset>\n`,
  );
  await write("robots.txt", `User-agent: *\nAllow: /\nSitemap: ${urls.absolute(`${urls.home}sitemap.xml`)}\n`);
  await write(
    "404.html",
    `<!DOCTYPE html>${renderToStaticMarkup(
      <FaqDocument head={{ ...homeHead(branding, urls), title: `Page not found · ${branding.companyName} Help`, noindex: true }} siteName={branding.companyName} faviconUrl={faviconUrl}>
        <FaqNotFoundPage branding={branding} urls={urls} />
      </FaqDocument>,
    )}`,
  );

  await flush();
  // The swap: the old export stays complete until the new one is whole on disk.
  const old = tempSibling(outDir, "old");
  if (existsSync(outDir)) {
    await rename(outDir, old);
    await rename(tmp, outDir);
    await rm(old, { recursive: true, force: true });
  } else {
    await rename(tmp, outDir);
  }
  return { outDir, pages, files, bytes, ms: Math.round(performance.now() - started) };
}
