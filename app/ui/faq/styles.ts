import type { Branding } from "../../models/faq.schema";

/**
 * The public FAQ's whole stylesheet, inlined in every page (live and exported): one request, no
 * render-blocking file, a few KB. Brand colours arrive as custom properties on the page wrapper.
 */
export const FAQ_CSS = `*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.6;color:#1b1f24;background:#fff}
.faq{min-height:100vh;display:flex;flex-direction:column}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0}
.skip:focus{left:1rem;top:.5rem;background:#fff;color:#1b1f24;padding:.5rem 1rem;z-index:10}
.bar{background:var(--brand);color:#fff}
.bar .in{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1.5rem;justify-content:space-between}
.in{max-width:860px;margin:0 auto;padding:.75rem 1rem}
.home{color:#fff;text-decoration:none;font-weight:700;font-size:1.15rem;display:flex;align-items:center;gap:.5rem}
.home img{height:32px;width:auto}
.sf{display:flex;gap:.4rem;flex:1 1 260px;max-width:420px}
.sf input{flex:1;min-width:0;padding:.5rem .6rem;border:1px solid #8a96a3;border-radius:6px;font:inherit}
button{font:inherit;padding:.5rem .9rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
.bar button{border-color:#fff}
main{flex:1;width:100%;max-width:860px;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.8rem;line-height:1.25;margin:.25rem 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
.lead{font-size:1.1rem;color:#454d57}
.crumbs ol{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.25rem;font-size:.95rem}
.crumbs li+li::before{content:"›";margin-right:.25rem;color:#5a6470}
.topics{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:.75rem}
.topics a{display:block;padding:1rem;border:1px solid #d8dde3;border-radius:8px;text-decoration:none;color:#1b1f24;min-height:100%}
.topics a:hover{border-color:var(--accent)}
.topics strong{color:var(--accent);display:block;font-size:1.1rem}
.topics span{color:#5a6470;font-size:.95rem}
.qs{list-style:none;padding:0;margin:0}
.qs li{padding:.75rem 0;border-bottom:1px solid #e4e8ec}
.qs a{font-weight:600}
.qs p{margin:.25rem 0 0;color:#454d57}
.short{font-size:1.1rem;padding:1rem;border-left:4px solid var(--accent);background:#f4f7fa;margin:0 0 1.5rem}
.body{overflow-wrap:anywhere}
.body table{border-collapse:collapse}
.body td,.body th{border:1px solid #d8dde3;padding:.3rem .5rem}
.body pre{overflow:auto;background:#f4f7fa;padding:.75rem}
.meta{color:#5a6470;font-size:.95rem}
.fb{margin-top:2.5rem;padding:1rem;border:1px solid #d8dde3;border-radius:8px}
.fb fieldset{border:0;padding:0;margin:0 0 .75rem}
.fb h2{margin-top:0}
.fb legend{font-weight:700;margin-bottom:.4rem}
.fb label{margin-right:1rem}
.fb textarea{display:block;width:100%;min-height:4.5rem;margin:.25rem 0 .75rem;padding:.5rem;border:1px solid #8a96a3;border-radius:6px;font:inherit}
.note{padding:.6rem .9rem;border-radius:6px;background:#eaf4ee;color:#17663a}
.note.err{background:#fdecea;color:#8a1c12}
footer{border-top:1px solid #d8dde3;background:#f6f7f9;font-size:.95rem}
footer ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

/** The brand colours as custom properties (validated #rrggbb, so safe in a style attribute). */
export function brandStyle(branding: Branding): Record<string, string> {
  return { "--brand": branding.primaryColour, "--accent": branding.accentColour };
}
