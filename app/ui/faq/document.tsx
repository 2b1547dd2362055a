import type { ReactNode } from "react";
import { jsonLdText, type FaqHead } from "./seo";
import { FAQ_CSS } from "./styles";

/**
 * A whole FAQ page (live and exported), its CSS inline. `scripts` (export search only) run in
 * order after parsing. They carry no `integrity`: Chromium refuses a checked script read from
 * disk (file:// is not CORS-enabled), and they come from the same folder as the page anyway.
 */
export function FaqDocument({ head, siteName, faviconUrl, scripts = [], children }: { head: FaqHead; siteName: string; faviconUrl: string; scripts?: string[]; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{head.title}</title>
        <meta name="description" content={head.description} />
        <link rel="canonical" href={head.canonical} />
        <meta property="og:type" content={head.ogType} />
        <meta property="og:title" content={head.title} />
        <meta property="og:description" content={head.description} />
        <meta property="og:url" content={head.canonical} />
        <meta property="og:site_name" content={siteName} />
        {head.noindex ? <meta name="robots" content="noindex" /> : null}
        <link rel="icon" href={faviconUrl} type="image/svg+xml" />
        <style dangerouslySetInnerHTML={{ __html: FAQ_CSS }} />
        {head.jsonLd ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(head.jsonLd) }} /> : null}
        {scripts.map((src) => (
          <script key={src} src={src} defer />
        ))}
      </head>
      <body>{children}</body>
    </html>
  );
}
