/**
 * The exported FAQ's search: a tiny vanilla script (no framework) over the prebuilt index
 * ({q, k, a, t, u} per answer, `u` relative to the export's root). The index arrives as a script,
 * search-index.js, that sets `window.__FAQ_INDEX__` (loaded before this one): a page opened from
 * disk may not fetch() another file, but may load a script. Any word may match; rarer words weigh
 * more, matches in the question and its phrasings three times more than in the short answer.
 * Results are built with textContent only, never HTML.
 */
export const SEARCH_INDEX_GLOBAL = "__FAQ_INDEX__";

export const SEARCH_SCRIPT = `(function () {
  "use strict";
  var q = (new URLSearchParams(location.search).get("q") || "").trim().slice(0, 200);
  var input = document.getElementById("faq-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (input) input.value = q;
  if (!q || !status || !list) return;
  var words = (q.toLowerCase().match(/[\\p{L}\\p{N}]+/gu) || []).slice(0, 12);
  var items = window.${SEARCH_INDEX_GLOBAL};
  var root = list.getAttribute("data-root") || "";
  if (!Array.isArray(items)) { status.textContent = "Search is not available right now. Browse the topics instead."; return; }
  var df = {};
  var docs = items.map(function (it) {
    var head = (it.q + " " + it.k).toLowerCase(), body = it.a.toLowerCase();
    words.forEach(function (w) { if (head.indexOf(w) >= 0 || body.indexOf(w) >= 0) df[w] = (df[w] || 0) + 1; });
    return { it: it, head: head, body: body };
  });
  var scored = [];
  docs.forEach(function (d) {
    var s = 0;
    words.forEach(function (w) {
      if (!df[w]) return;
      var idf = Math.log(1 + items.length / df[w]);
      if (d.head.indexOf(w) >= 0) s += 3 * idf; else if (d.body.indexOf(w) >= 0) s += idf;
    });
    if (s > 0) scored.push([s, d.it]);
  });
  scored.sort(function (a, b) { return b[0] - a[0] || (a[1].q < b[1].q ? -1 : 1); });
  var top = scored.slice(0, 20);
  top.forEach(function (pair) {
    var it = pair[1], li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p"), m = document.createElement("span");
    a.href = root + it.u; a.textContent = it.q; p.textContent = it.a; m.className = "meta"; m.textContent = " · " + it.t;
    p.appendChild(m); li.appendChild(a); li.appendChild(p); list.appendChild(li);
  });
  status.textContent = top.length === 0 ? "No answers match \\u201c" + q + "\\u201d. Try other words, or browse the topics."
    : top.length + (top.length === 1 ? " answer matches" : " answers match") + " \\u201c" + q + "\\u201d.";
})();
`;
