import type { Extensions } from "@tiptap/core";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";

/** The only link protocols an answer may carry; everything else (javascript:, data:, …) is refused. */
export const LINK_PROTOCOLS = ["http", "https", "mailto", "tel"] as const;

/** Every rendered link carries this: no window.opener, no referrer, no search-engine credit. */
export const LINK_REL = "noopener noreferrer nofollow";

/**
 * Is this href allowed? Relative links (`/answers/…`, `#section`) and the protocols above.
 * Control characters and whitespace are stripped first, as browsers do (`java\nscript:`).
 */
export function isSafeHref(href: unknown): boolean {
  if (typeof href !== "string") return false;
  // eslint-disable-next-line no-control-regex
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  if (cleaned === "") return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  // Browsers read `/\host` and `\\host` like `//host`: a link to another site in disguise.
  if (!scheme) return !/^[\\/]{2}/.test(cleaned);
  return (LINK_PROTOCOLS as readonly string[]).includes(scheme[1]!);
}

/** THE extension list: the browser editor and the server's schema, renderer and validator share it. */
export const extensions: Extensions = [
  StarterKit.configure({
    heading: { levels: [2, 3, 4] },
    link: {
      openOnClick: false,
      autolink: true,
      protocols: ["mailto", "tel"],
      defaultProtocol: "https",
      isAllowedUri: (url) => isSafeHref(url),
      HTMLAttributes: { rel: LINK_REL, target: null },
    },
  }),
  Table.configure({ resizable: false }),
  TableRow,
  TableHeader,
  TableCell,
];
