/**
 * The static site's shared files: one style sheet (screen and print) and the offline search script. Plain text
 * here so the bundled CLI carries them; no framework, no outside URL, nothing inline in the pages (their CSP is
 * `default-src 'self'`).
 */

/** Column width classes (`w5` … `w100`, percent of the table) the pages use instead of inline styles. */
const WIDTHS = Array.from({ length: 20 }, (_, i) => `.w${(i + 1) * 5}{width:${(i + 1) * 5}%}`).join('');

/** `assets/site.css`. */
export const SITE_CSS = `:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg2:#f6f8fa;--link:#0550ae;--ok:#dafbe1;--gap:#ffebe9;--gapline:#cf222e;--warn:#fff8c5}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
a{color:var(--link)}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em;z-index:2}
.skip:focus{left:.5em}
body>header{display:flex;flex-wrap:wrap;gap:1em;align-items:center;justify-content:space-between;padding:.5em 1.5em;border-bottom:1px solid var(--line);background:var(--bg2)}
body>header nav a{margin-right:1em}
.search{position:relative}
.search input{font:inherit;padding:.25em .5em;width:22em;max-width:70vw}
.search ol{position:absolute;right:0;z-index:3;margin:.25em 0 0;padding:.25em 0;list-style:none;background:#fff;border:1px solid var(--line);width:30em;max-width:90vw;max-height:70vh;overflow:auto}
.search ol:empty{display:none}
.search li a{display:block;padding:.2em .75em;text-decoration:none}
.search li a:focus,.search li a:hover{background:var(--bg2)}
.search .k{font-weight:600;margin-right:.5em}
.search .t{color:var(--muted);font-size:.85em;margin-left:.5em}
main{max-width:72em;margin:0 auto;padding:1em 1.5em 3em}
h1{font-size:1.7em;margin:.5em 0}
h2{font-size:1.35em;margin-top:1.5em}
h3{font-size:1.15em}
table{border-collapse:collapse;margin:1em 0;width:100%}
caption{text-align:left;font-weight:600;padding:.25em 0}
th,td{border:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
thead th{background:var(--bg2)}
th[scope=row]{background:var(--bg2);width:14em;font-weight:600}
pre{background:var(--bg2);padding:.75em;overflow:auto}
code{font-family:ui-monospace,Consolas,monospace;font-size:.92em}
.cover{border:1px solid var(--line);padding:1em 1.5em;margin:1em 0}
.meta code,dd code{font-size:.85em;word-break:break-all}
.gap{border-left:.4em solid var(--gapline);background:var(--gap);padding:.5em 1em;margin:1em 0;font-weight:600}
.tone-ok{background:var(--ok)}
.tone-gap{background:var(--gap);color:#82071e;font-weight:600}
.tone-warning{background:var(--warn)}
.tone-muted{color:var(--muted)}
.suspect{background:var(--warn);border:1px solid #bf8700;border-radius:.3em;padding:0 .3em;font-size:.85em}
.missing{color:var(--muted);text-decoration:underline dotted}
.record{border-top:1px solid var(--line);margin-top:1.5em}
.meta{color:var(--muted);font-size:.9em}
.toc ol{padding-left:1.5em}
.pagebreak{border:0;border-top:1px dashed var(--line);margin:2em 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
main dl{display:grid;grid-template-columns:max-content 1fr;gap:.15em 1em;margin:.75em 0}
main dl dt{font-weight:600}
main dl dd{margin:0}
.toc .l3{margin-left:1.25em}
.toc .l4{margin-left:2.5em}
.toc .l5,.toc .l6{margin-left:3.75em}
.pager ol{display:flex;flex-wrap:wrap;gap:.5em;list-style:none;padding:0}
.pager [aria-current]{font-weight:700;text-decoration:none}
.lt{color:var(--muted);font-size:.9em;margin-right:.4em}
${WIDTHS}
@media print{
body>header,.skip,.search,nav.toc,.pager{display:none}
body{font-size:11pt}
main{max-width:none;padding:0}
h1{break-before:page}
h1:first-of-type{break-before:auto}
h2,h3,h4,h5,h6{break-after:avoid}
tr,.gap,.cover{break-inside:avoid}
thead{display:table-header-group}
a{color:inherit;text-decoration:none}
a.ext::after{content:" (" attr(href) ")";font-size:.85em}
.pagebreak{break-after:page;border:0;margin:0}
.tone-ok,.tone-gap,.tone-warning,.gap,.suspect{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`;

/**
 * `assets/search.js`: a search box on every page (added by the script, so a page read without scripts shows no
 * dead box). The index (`assets/search-index.js`, a script that sets `window.DOSSIER_SEARCH`) is loaded on first
 * use by a script element rather than `fetch`, so it works from `file://`; results are built with DOM calls and
 * `textContent`, never HTML strings.
 */
export const SEARCH_JS = `(function () {
  'use strict';
  var header = document.querySelector('body > header'), me = document.currentScript;
  if (!header || !me) return;
  // The site's root, from this script's own address (…/assets/search.js): works from disk and from any server.
  var root = me.src.slice(0, me.src.length - 'assets/search.js'.length);
  var form = document.createElement('form'), input = document.createElement('input');
  var list = document.createElement('ol'), status = document.createElement('p');
  form.className = 'search';
  form.setAttribute('role', 'search');
  input.type = 'search';
  input.placeholder = 'Search';
  input.autocomplete = 'off';
  input.setAttribute('aria-label', 'Search records and documents');
  status.className = 'sr';
  status.setAttribute('aria-live', 'polite');
  form.appendChild(input); form.appendChild(list); form.appendChild(status);
  header.appendChild(form);
  var state = 'idle', pending = null;
  function load(then) {
    if (state === 'ready') return then();
    pending = then;
    if (state === 'loading') return;
    state = 'loading';
    var s = document.createElement('script');
    s.src = root + 'assets/search-index.js';
    s.onload = function () { state = 'ready'; if (pending) pending(); };
    s.onerror = function () { state = 'idle'; status.textContent = 'The search index could not be loaded.'; };
    document.head.appendChild(s);
  }
  function entries() {
    var d = window.DOSSIER_SEARCH, out = [], i, r, t;
    for (i = 0; i < d.documents.length; i++) {
      r = d.documents[i];
      out.push({ key: r[0], title: r[1], type: 'document', href: 'documents/' + r[2] + '.html' });
    }
    for (i = 0; i < d.records.length; i++) {
      r = d.records[i]; t = d.types[r[2]];
      out.push({ key: r[0], title: r[1], type: t[1], href: 'records/' + t[2] + '/' + (r.length > 3 ? r[3] : r[0]) + '.html' });
    }
    return out;
  }
  var all = null;
  function show() {
    if (all === null) all = entries();
    var q = input.value.trim().toLowerCase();
    while (list.firstChild) list.removeChild(list.firstChild);
    if (q === '') { status.textContent = ''; return; }
    var words = q.split(/\\s+/), hits = 0, total = 0;
    for (var i = 0; i < all.length; i++) {
      var e = all[i], hay = (e.key + ' ' + e.title + ' ' + e.type).toLowerCase(), ok = true;
      for (var w = 0; w < words.length && ok; w++) ok = hay.indexOf(words[w]) >= 0;
      if (!ok) continue;
      total++;
      if (hits >= 50) continue;
      hits++;
      var li = document.createElement('li'), a = document.createElement('a');
      a.href = root + e.href;
      var k = document.createElement('span'); k.className = 'k'; k.textContent = e.key;
      var t = document.createElement('span'); t.className = 't'; t.textContent = e.type;
      a.appendChild(k); a.appendChild(document.createTextNode(e.title)); a.appendChild(t);
      li.appendChild(a); list.appendChild(li);
    }
    status.textContent = total === 0 ? 'No match.' : total > hits ? hits + ' of ' + total + ' matches shown.' : total + (total === 1 ? ' match.' : ' matches.');
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var first = list.querySelector('a');
    if (first) first.click();
  });
  input.addEventListener('focus', function () { load(function () {}); });
  input.addEventListener('input', function () { load(show); });
  form.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') { input.value = ''; show(); input.focus(); }
  });
})();
`;
