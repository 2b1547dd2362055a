/** The FAQ's pages: one address per kind of page. */
export interface FaqPaths {
  home: string;
  topic(topicSlug: string): string;
  answer(topicSlug: string, slug: string): string;
  search: string;
}

/**
 * Where the FAQ's pages live, as links written into one page: under /faq on the app; in an
 * export, relative to the page itself (`../index.html`), so the folder works from any base path
 * and opened from disk (file://), where a root-relative `/topic/` means the disk's root.
 */
export interface FaqUrls extends FaqPaths {
  /** A file of the site (favicon, scripts), as a link from this page. */
  asset(file: string): string;
  /** An address an admin set in the branding (logo, footer links), as a link from this page. */
  branded(url: string): string;
  /** Absolute addresses of the pages, for canonical links, Open Graph and the sitemap. */
  canonical: FaqPaths;
}

export function liveFaqUrls(origin: string): FaqUrls {
  const paths: FaqPaths = {
    home: "/faq",
    topic: (t) => `/faq/${t}`,
    answer: (t, s) => `/faq/${t}/${s}`,
    search: "/faq/search",
  };
  return { ...paths, asset: (file) => `/${file}`, branded: (url) => url, canonical: absolutePaths(origin, paths) };
}

function absolutePaths(origin: string, paths: FaqPaths): FaqPaths {
  return {
    home: `${origin}${paths.home}`,
    topic: (t) => `${origin}${paths.topic(t)}`,
    answer: (t, s) => `${origin}${paths.answer(t, s)}`,
    search: `${origin}${paths.search}`,
  };
}

/**
 * An export's pages are folders with an index.html. These are the folders, relative to the
 * export's root ("" is the home page), where each page is written.
 */
export const exportFolders: FaqPaths = {
  home: "",
  topic: (t) => `${t}/`,
  answer: (t, s) => `${t}/${s}/`,
  search: "search/",
};

/** The export's base URL as an origin and a path that ends in a slash (`https://x.com/help/`). */
function exportBase(baseUrl: string): { origin: string; basePath: string } {
  const u = new URL(baseUrl);
  return { origin: u.origin, basePath: `${u.pathname.replace(/\/+$/, "")}/` };
}

/**
 * Links for the exported page written in the folder `pageFolder` (one of `exportFolders`).
 * A link to a page names its index.html: a browser opening the folder from disk shows a file
 * listing, not the page. Canonical addresses stay the clean absolute ones under `baseUrl`.
 */
export function exportFaqUrls(baseUrl: string, pageFolder: string, copied: ReadonlyMap<string, string> = new Map()): FaqUrls {
  const { origin, basePath } = exportBase(baseUrl);
  const depth = pageFolder.split("/").filter(Boolean).length;
  return pageLinks("../".repeat(depth), origin, absolutePaths(origin, prefixed(basePath)), copied);
}

/**
 * Links for a page whose own address is unknown: 404.html is served by the web host at
 * whatever address was missing, so relative links would resolve against that address. It
 * links from the base path instead (a 404 page only exists on a web server, never on disk).
 */
export function exportFaqRootedUrls(baseUrl: string, copied: ReadonlyMap<string, string> = new Map()): FaqUrls {
  const { origin, basePath } = exportBase(baseUrl);
  return pageLinks(basePath, origin, absolutePaths(origin, prefixed(basePath)), copied);
}

function prefixed(basePath: string): FaqPaths {
  return {
    home: `${basePath}${exportFolders.home}`,
    topic: (t) => `${basePath}${exportFolders.topic(t)}`,
    answer: (t, s) => `${basePath}${exportFolders.answer(t, s)}`,
    search: `${basePath}${exportFolders.search}`,
  };
}

/**
 * `copied`: branding addresses (site paths such as `/logo.svg`) whose file the export copied
 * in, with the file's place in the export. Any other site path belongs to the site the export
 * is published on: made absolute, so it still leads there from disk.
 */
function pageLinks(root: string, origin: string, canonical: FaqPaths, copied: ReadonlyMap<string, string>): FaqUrls {
  return {
    home: `${root}${exportFolders.home}index.html`,
    topic: (t) => `${root}${exportFolders.topic(t)}index.html`,
    answer: (t, s) => `${root}${exportFolders.answer(t, s)}index.html`,
    search: `${root}${exportFolders.search}index.html`,
    asset: (file) => `${root}${file}`,
    branded: (url) => {
      const file = copied.get(url);
      if (file !== undefined) return `${root}${file}`;
      return url.startsWith("/") && !url.startsWith("//") ? `${origin}${url}` : url;
    },
    canonical,
  };
}
