/**
 * The report's inline stylesheet: readable on screen and in print, no external fonts or assets.
 * Links in the contents are at least 24 px high (WCAG 2.2's target size); a wide table's caption
 * stays in view, wrapped, while the table scrolls in its box on a phone or at 400%; on a phone a chart keeps
 * its labels at about 10 px and scrolls sideways in its figure (whose download links take the focus); no ligatures, so that
 * a PDF's text reads "significance", not "signicance", to a screen reader or a search. In print,
 * headings stay with what follows them, a table or figure is split only when longer than a page
 * (a table's header row then repeats; a chart is never taller than a page), and the contents'
 * page numbers keep their width before they are filled in, so filling them moves nothing.
 */
export const reportStyles = `
body { font-family: Arial, Helvetica, sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; font-variant-ligatures: none; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid #00545c; }
.meta { color: #4d4d4d; font-size: 0.9rem; }
.banner { background: #fff4e0; border-left: 6px solid #d9793b; padding: 0.6rem 1rem; font-weight: bold; }
.table-wrap { overflow-x: auto; margin: 1rem 0; } table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
svg.chart { height: auto; width: 100%; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
@media screen { .table-wrap caption { position: sticky; left: 0; max-width: calc(100vw - 2rem); } }
@media screen and (max-width: 40rem) { figure:has(.downloads a) { overflow-x: auto; } figure:has(.downloads a) svg.chart { min-width: 34rem; } }
th, td { border-bottom: 1px solid #cccccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
.num { text-align: right; } thead th { background: #e6f0f0; }
.up { color: #00545c; font-weight: bold; } .down { color: #9e3d0f; font-weight: bold; }
figure { margin: 0.5rem 0 1.5rem; } figcaption { font-size: 0.85rem; color: #4d4d4d; }
svg.chart { max-width: 40rem; font-size: 12px; }
h1, h2, caption { overflow-wrap: anywhere; } svg.chart text:not([fill]) { fill: #1a1a1a; }
sup a { text-decoration: none; } .notes { font-size: 0.85rem; }
.downloads { font-size: 0.8rem; white-space: nowrap; } .downloads a { color: #00545c; }
.toc ol { padding-left: 1.4rem; } .toc ol.figures { columns: 2 22rem; column-gap: 2rem; font-size: 0.85rem; } .toc a { color: #00545c; }
.toc li { padding: 0.2rem 0; break-inside: avoid; } .toc a { display: inline-block; min-height: 24px; vertical-align: top; }
.small { font-size: 0.85rem; } .toc ol.figures { list-style: none; padding-left: 0; } .toc .page:empty { display: none; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; } .downloads { display: none; } .table-wrap { overflow: visible; } a { color: inherit; text-decoration: none; }
  h1, h2, h3, caption, figcaption, tr, li, h2 + p, h2 + p + p, .average { break-inside: avoid; }
  h2, h3, h2 + p, h2 + p + p, .average, caption { break-after: avoid; }
  figure, table, .item { break-inside: avoid; } thead { display: table-header-group; }
  svg.chart { width: auto; max-width: 100%; max-height: 240mm; }
  .toc { break-after: page; } .figure-index { break-before: page; } .toc ol.figures { columns: auto; font-size: 9pt; }
  .toc li { padding: 0.1rem 0; display: flex; gap: 1em; justify-content: space-between; align-items: baseline; } .toc a { min-height: 0; }
  .toc .page, .toc .page:empty { display: inline-block; flex: none; min-width: 2.5em; text-align: right; }
  .toc .continues { font-style: italic; } .toc .page-start { break-before: page; }
}
`;
