"""The style sheet of the HTML report, inlined into its ``<head>``.

One sheet for the screen (a centred column of at most 72 rem, tables that scroll sideways
on a narrow window instead of squeezing, system fonts only: nothing is fetched) and for
print (``@media print``: white background, black text, every major section on a new page,
table headers repeated on each page, rows and figures never split, no scroll boxes). Option
colours reach the page as a ``--c`` custom property on small swatches; flagged assumptions
carry a badge whose colours survive printing (``print-color-adjust: exact``).
"""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root {
  --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --soft: #f6f8fa;
  --accent: #0b5394; --warn-bg: #fff4e5; --warn-ink: #8a4b00; --warn-rule: #f0b35a;
  --good: #1a7f37; --bad: #b42318;
  font-size: 16px;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
}
.page { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.2rem 0 0.6rem; }
h2 {
  font-size: 1.45rem; margin: 2.6rem 0 0.8rem; padding-bottom: 0.3rem;
  border-bottom: 2px solid var(--ink);
}
h3 { font-size: 1.1rem; margin: 1.8rem 0 0.5rem; }
p, li { max-width: 48rem; }
a { color: var(--accent); }
code, .mono {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.88em;
}
.kicker { color: var(--muted); font-size: 0.9rem; margin: 0; letter-spacing: 0.02em; }
.lede { font-size: 1.1rem; color: var(--muted); margin-top: 0; }
.muted, .note { color: var(--muted); }
.note { font-size: 0.9rem; }
.caveat {
  background: var(--warn-bg); border-left: 5px solid var(--warn-rule); color: #3d2600;
  padding: 0.8rem 1rem; margin: 1rem 0; max-width: 56rem; border-radius: 0 4px 4px 0;
}
.caveat p { margin: 0.3rem 0; }
nav.toc {
  border: 1px solid var(--rule); border-radius: 6px; padding: 0.6rem 1rem; margin: 1.2rem 0;
  background: var(--soft); max-width: 56rem;
}
nav.toc ol { margin: 0.2rem 0; padding-left: 1.4rem; columns: 2 16rem; }
nav.toc li { margin: 0.1rem 0; }
.table-wrap { overflow-x: auto; margin: 0.6rem 0 1.2rem; border: 1px solid var(--rule);
  border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem;
  font-variant-numeric: tabular-nums; }
caption { text-align: left; padding: 0.5rem 0.7rem; color: var(--muted); font-size: 0.88rem; }
th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--rule); vertical-align: top;
  text-align: left; }
thead th { background: var(--soft); font-weight: 600; white-space: nowrap;
  border-bottom: 2px solid var(--rule); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.ci { color: var(--muted); font-size: 0.85em; }
tbody.outcome td { vertical-align: baseline; }
tbody.outcome td:first-child { white-space: nowrap; }
tr.group th {
  background: #eef2f6; text-align: left; font-weight: 600; border-top: 2px solid var(--rule);
}
tr.group .sub { font-weight: 400; color: var(--muted); font-size: 0.85em; }
tr.group .censored { font-weight: 400; color: var(--warn-ink); font-size: 0.85em; }
tbody.outcome, tr { break-inside: avoid; }
.dir { display: inline-block; font-size: 0.78rem; font-weight: 600; padding: 0 0.4rem;
  border-radius: 3px; border: 1px solid var(--rule); color: var(--muted); margin-left: 0.3rem; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px;
  background: var(--c, #888); margin-right: 0.4em; vertical-align: -0.05em;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.better { color: var(--good); font-weight: 600; }
.worse { color: var(--bad); font-weight: 600; }
td.source { min-width: 12rem; }
table.manifest { table-layout: fixed; }
table.manifest th:first-child { width: 10rem; }
table.manifest td { overflow-wrap: anywhere; }
td.date, td.flag-cell { white-space: nowrap; }
table.register { table-layout: fixed; }
table.register th:nth-child(1) { width: 9%; }
table.register th:nth-child(2) { width: 21%; }
table.register th:nth-child(3) { width: 15%; }
table.register th:nth-child(5) { width: 8.5%; }
table.register th:nth-child(6) { width: 10%; }
table.register td { overflow-wrap: anywhere; }
table.register thead th { white-space: normal; }
table.register .flag { font-size: 0.7rem; padding: 0.05rem 0.25rem; }
table.record td.point { min-width: 16rem; }
tr.assumption td { background: var(--warn-bg); }
tr.assumption td:first-child { box-shadow: inset 4px 0 0 var(--warn-rule); }
.flag { display: inline-block; font-weight: 700; font-size: 0.75rem; letter-spacing: 0.04em;
  color: var(--warn-ink); border: 1px solid var(--warn-rule); background: #ffe3bf;
  padding: 0.05rem 0.35rem; border-radius: 3px; white-space: nowrap;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.covered { color: var(--good); font-weight: 600; }
.missed { color: var(--bad); font-weight: 600; }
.figs { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.2rem 1.5rem;
  margin: 0.8rem 0 1.4rem; }
.figs.two { grid-template-columns: repeat(auto-fill, minmax(min(100%, 30rem), 1fr)); }
figure { margin: 0; break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; max-width: 52rem; }
.figs.two figure svg { max-width: 40rem; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.2rem; }
.opts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
  gap: 1rem; margin: 0.8rem 0; }
.opt { border: 1px solid var(--rule); border-radius: 6px; padding: 0.7rem 0.9rem;
  break-inside: avoid; }
.opt h3 { margin: 0 0 0.3rem; }
.opt .lever { font-size: 0.9rem; margin-top: 0.4rem; }
.opt .lever dl.kv { margin: 0.2rem 0 0.4rem 0.8rem; font-size: 0.85rem; gap: 0 0.8rem; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem;
  font-size: 0.9rem; margin: 0.4rem 0 1rem; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.missing { color: var(--warn-ink); background: var(--warn-bg); padding: 0.5rem 0.8rem;
  border-radius: 4px; }
footer { color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--rule);
  margin-top: 3rem; padding-top: 0.8rem; }
@media (max-width: 40rem) {
  :root { font-size: 15px; }
  .page { padding: 1rem 0.8rem 3rem; }
  h1 { font-size: 1.6rem; }
  nav.toc ol { columns: 1; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  :root { font-size: 10.5pt; }
  body { background: #fff; color: #000; }
  .page { max-width: none; padding: 0; }
  a { color: #000; text-decoration: none; }
  nav.toc { background: #fff; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  section.major { break-before: page; }
  .table-wrap { overflow: visible; border: none; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  thead th, tr.group th { background: #fff; }
  th, td { padding: 0.2rem 0.35rem; }
  tr.assumption td { background: #fff; }
  td.source, table.record td.point { min-width: 0; }
  table.register th:nth-child(1) { width: 12%; }
  table.register th:nth-child(2) { width: 20%; }
  table.register th:nth-child(3) { width: 14%; }
  table.register th:nth-child(5) { width: 10%; }
  table.register th:nth-child(6) { width: 11%; }
  .figs { display: block; }
  figure { margin: 0 0 0.8rem; }
  figure svg { max-width: 15cm; margin: 0 auto; }
  .caveat { background: #fff; border: 1px solid #000; border-left: 5px solid #000;
    color: #000; }
}
"""
