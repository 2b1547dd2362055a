/** Where the FAQ's pages live: under /faq on the app, at the site root (or a base path) in an export. */
export interface FaqUrls {
  home: string;
  topic(topicSlug: string): string;
  answer(topicSlug: string, slug: string): string;
  search: string;
  /** The absolute address of a path, for canonical links, Open Graph and the sitemap. */
  absolute(path: string): string;
}

export function liveFaqUrls(origin: string): FaqUrls {
  return {
    home: "/faq",
    topic: (t) => `/faq/${t}`,
    answer: (t, s) => `/faq/${t}/${s}`,
    search: "/faq/search",
    absolute: (p) => `${origin}${p}`,
  };
}

/** Exported pages are folders with an index.html, so every address ends in a slash. */
export function exportFaqUrls(baseUrl: string): FaqUrls {
  const u = new URL(baseUrl);
  const basePath = u.pathname.replace(/\/+$/, "");
  const origin = u.origin;
  return {
    home: `${basePath}/`,
    topic: (t) => `${basePath}/${t}/`,
    answer: (t, s) => `${basePath}/${t}/${s}/`,
    search: `${basePath}/search/`,
    absolute: (p) => `${origin}${p}`,
  };
}
