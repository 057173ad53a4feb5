import { createHash } from 'node:crypto';
import { textBlocks, type ReportData, type ReportEntry } from '../domain/report';
import { RAG_OF_STATUS, STATUS_LABEL } from '../domain/statuses';
import { html, trusted, type Html } from './html';

/** A chart as the report shows it: a PNG with the numbers behind it told in words (its alt). */
export interface ReportChart {
  title: string;
  altText: string;
  png: Buffer;
  width: number;
  height: number;
}

/**
 * The plain style of a GOV.UK publication, without its typeface or crown: black on white, one
 * column of readable width, a clear scale of headings, tables with ruled rows. The print rules
 * keep an item and its heading together and drop what only helps on screen.
 */
const STYLESHEET = `
*, *::before, *::after { box-sizing: border-box; }
html { background: #fff; color: #0b0c0c; }
body { margin: 0; font-family: arial, "Liberation Sans", "Helvetica Neue", Helvetica, "DejaVu Sans", sans-serif; font-size: 19px; line-height: 1.32; -webkit-font-smoothing: antialiased; }
.page { max-width: 960px; margin: 0 auto; padding: 0 30px 60px; }
.masthead { border-bottom: 10px solid #0b0c0c; padding: 40px 0 30px; margin-bottom: 40px; }
.caption { color: #505a5f; font-size: 24px; margin: 0 0 5px; }
h1 { font-size: 48px; line-height: 1.05; margin: 0 0 30px; font-weight: 700; }
h2 { font-size: 36px; line-height: 1.12; margin: 50px 0 20px; font-weight: 700; }
h3 { font-size: 27px; line-height: 1.2; margin: 45px 0 15px; font-weight: 700; padding-top: 15px; border-top: 2px solid #0b0c0c; }
h4 { font-size: 21px; line-height: 1.25; margin: 0 0 10px; font-weight: 700; }
.lede { font-size: 24px; line-height: 1.25; margin: 0; max-width: 40em; }
.draft { display: inline-block; margin-top: 20px; padding: 4px 8px; border: 2px solid #0b0c0c; font-weight: 700; font-size: 16px; letter-spacing: 1px; text-transform: uppercase; }
p { margin: 0 0 15px; }
a { color: #1d70b8; text-decoration: underline; text-underline-offset: 0.1em; }
a:focus { outline: 3px solid transparent; background: #fd0; color: #0b0c0c; box-shadow: 0 -2px #fd0, 0 4px #0b0c0c; text-decoration: none; }
nav ol { padding-left: 20px; margin: 0 0 15px; }
nav li { margin-bottom: 5px; }
nav h2 { font-size: 24px; margin-top: 0; }
table { border-collapse: collapse; border-spacing: 0; width: 100%; margin: 0 0 30px; font-size: 19px; }
caption { text-align: left; font-weight: 700; font-size: 24px; padding-bottom: 10px; }
th, td { text-align: left; vertical-align: top; padding: 10px 20px 10px 0; border-bottom: 1px solid #b1b4b6; }
thead th { font-weight: 700; }
tbody th { font-weight: 400; }
#summary table { max-width: 640px; }
.num { text-align: right; padding-right: 0; font-variant-numeric: tabular-nums; }
.item { padding: 20px 0 10px; border-bottom: 1px solid #b1b4b6; }
.item:last-child { border-bottom: 0; }
.ref { display: inline-block; min-width: 2.5em; margin-right: 10px; padding: 0 6px; border: 2px solid #0b0c0c; text-align: center; }
.words { max-width: 40em; }
.words ul { margin: 0 0 15px; padding-left: 20px; }
.words li { margin-bottom: 5px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 5px 20px; margin: 0 0 15px; font-size: 16px; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; }
.status { display: inline-block; padding: 2px 8px; font-weight: 700; font-size: 16px; letter-spacing: 0.5px; text-transform: uppercase; border: 1px solid currentColor; }
.status.green { color: #005a30; background: #cce2d8; }
.status.amber { color: #6e3619; background: #fcd6c3; }
.status.red { color: #942514; background: #f4cdc6; }
.status.none { color: #383f43; background: #eeefef; }
.updates { font-size: 16px; margin-bottom: 10px; }
.updates caption { font-size: 16px; padding-bottom: 5px; }
.updates th, .updates td { padding: 6px 15px 6px 0; }
.updates tbody th { white-space: nowrap; }
.updates .note { white-space: pre-wrap; overflow-wrap: anywhere; }
figure { margin: 0 0 40px; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #b1b4b6; }
figcaption { font-weight: 700; font-size: 19px; margin-bottom: 10px; }
footer { margin-top: 60px; padding-top: 20px; border-top: 1px solid #b1b4b6; color: #505a5f; font-size: 16px; }
@media (max-width: 640px) {
  body { font-size: 16px; }
  h1 { font-size: 32px; }
  h2 { font-size: 24px; }
  h3 { font-size: 21px; }
  .page { padding: 0 15px 40px; }
}
@media print {
  @page { margin: 18mm 16mm; }
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .masthead { padding-top: 0; }
  h1 { font-size: 26pt; }
  h2 { font-size: 19pt; break-before: page; }
  #summary h2, #charts h2 { break-before: auto; }
  h3 { font-size: 15pt; }
  h4 { font-size: 12pt; }
  h2, h3, h4, caption, figcaption { break-after: avoid; }
  .item, figure, tr { break-inside: avoid; }
  nav { display: none; }
  a { color: #0b0c0c; text-decoration: none; }
  .status { border-width: 1px; }
  table, .updates, dl.facts, .status, caption, figcaption { font-size: 10pt; }
  .lede, .caption { font-size: 14pt; }
}
`;

/**
 * Nothing loads from anywhere: no script at all, images only from the page's own data: URIs, and
 * the one stylesheet by its hash. A note cannot be markup (everything is escaped); this is the
 * second lock on the door.
 */
function contentSecurityPolicy(): string {
  const hash = createHash('sha256').update(STYLESHEET).digest('base64');
  return `default-src 'none'; img-src data:; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
}

/** An id for a fragment link, from a ref or a title: letters, digits and dashes only. */
function anchor(prefix: string, text: string): string {
  return `${prefix}-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

function statusTag(entry: Pick<ReportEntry, 'status' | 'rag'>): Html {
  return html`<strong class="status ${entry.rag ?? 'none'}">${STATUS_LABEL[entry.status]}${entry.rag ? html`<span class="rag"> (${entry.rag})</span>` : ''}</strong>`;
}

function planWords(text: string): Html {
  return html`<div class="words">${textBlocks(text).map((block) =>
    block.kind === 'paragraph' ? html`<p>${block.text}</p>` : html`<ul>${block.items.map((item) => html`<li>${item}</li>`)}</ul>`,
  )}</div>`;
}

function itemArticle(entry: ReportEntry, planSlug: string): Html {
  const id = anchor(`item-${planSlug}`, entry.ref);
  return html`<article class="item" id="${id}" data-ref="${entry.ref}" aria-labelledby="${id}-heading">
<h4 id="${id}-heading"><span class="ref">${entry.ref}</span> <span class="title">${entry.title}</span></h4>
${planWords(entry.text)}
<dl class="facts">
<dt>Status</dt><dd>${statusTag(entry)}${entry.parts ? html` · ${entry.parts.done} of ${entry.parts.total} parts done` : ''}</dd>
<dt>Lead</dt><dd>${entry.leads.join(', ')}</dd>
${entry.deadlineText ? html`<dt>Deadline</dt><dd>${entry.deadlineText}</dd>` : ''}
</dl>
${
  entry.updates.length
    ? html`<table class="updates">
<caption>Updates to item ${entry.ref} in the period</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Update</th><th scope="col">Note</th></tr></thead>
<tbody>${entry.updates.map((update) => html`<tr><th scope="row">${update.date}</th><td>${update.what}</td><td class="note">${update.note ?? ''}</td></tr>`)}</tbody>
</table>`
    : ''
}
</article>
`;
}

function chartFigure(chart: ReportChart): Html {
  return html`<figure>
<figcaption>${chart.title}</figcaption>
<img src="data:image/png;base64,${chart.png.toString('base64')}" alt="${chart.altText}" width="${chart.width}" height="${chart.height}">
</figure>
`;
}

function summary(data: ReportData): Html {
  const overdue = data.overdue.ended
    ? html`<tr><th scope="row">Deadlines overdue at the end of the period (${data.overdue.lastDay})</th><td class="num">${data.overdue.count}</td></tr>`
    : html`<tr><th scope="row">Deadlines overdue as of ${data.overdue.asOf}</th><td class="num">${data.overdue.now}</td></tr>
<tr><th scope="row">Overdue at the end of the period (${data.overdue.lastDay}, still ahead) unless met before then</th><td class="num">${data.overdue.atEnd}</td></tr>`;
  return html`<section id="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">Summary</h2>
<table>
<caption>Items by status, as of ${data.statusesAsOf}</caption>
<thead><tr><th scope="col">Status</th><th scope="col" class="num">Items</th></tr></thead>
<tbody>${data.counts.map(({ status, count }) => html`<tr><th scope="row">${statusTag({ status, rag: RAG_OF_STATUS[status] })}</th><td class="num">${count}</td></tr>`)}</tbody>
</table>
<table>
<caption>Updates and deadlines</caption>
<thead><tr><th scope="col">What</th><th scope="col" class="num">Number</th></tr></thead>
<tbody><tr><th scope="row">Status updates in the period</th><td class="num">${data.changes}</td></tr>
${overdue}</tbody>
</table>
</section>
`;
}

/**
 * The report as one self-contained HTML page, ready to publish: the charts inlined as data: URIs,
 * every item in the plan's own words, headings and tables a screen reader can move through, a
 * print stylesheet, and nothing fetched from anywhere. Pure; with no charts there is no charts
 * section at all.
 */
export function reportHtml(data: ReportData, charts: readonly ReportChart[]): string {
  const contents = [
    html`<li><a href="#summary">Summary</a></li>`,
    charts.length ? html`<li><a href="#charts">Charts</a></li>` : '',
    data.sections.map(
      (section) =>
        html`<li><a href="#${anchor('plan', section.plan.slug)}">${section.plan.title}</a><ol>${section.themes.map(
          (theme) => html`<li><a href="#${anchor(`theme-${section.plan.slug}`, theme.title)}">${theme.title}</a></li>`,
        )}</ol></li>`,
    ),
  ];
  const page = html`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${data.title} (draft)</title>
<style>${trusted(STYLESHEET)}</style>
</head>
<body>
<div class="page">
<header class="masthead">
<p class="caption">Libraries Taskforce</p>
<h1>${data.title}</h1>
<p class="lede">How the actions of the Taskforce's plans stand, item by item: each in the plan's own words, with its lead, its status as of ${data.statusesAsOf} and the updates its leads gave in the period.</p>
<p class="draft">Draft</p>
</header>
<nav aria-labelledby="contents-heading">
<h2 id="contents-heading">Contents</h2>
<ol>${contents}</ol>
</nav>
<main>
${summary(data)}
${charts.length ? html`<section id="charts" aria-labelledby="charts-heading"><h2 id="charts-heading">Charts</h2>\n${charts.map(chartFigure)}</section>\n` : ''}
${data.sections.map(
  (section) => html`<section aria-labelledby="${anchor('plan', section.plan.slug)}">
<h2 id="${anchor('plan', section.plan.slug)}">${section.plan.title}</h2>
${section.themes.map(
  (theme) => html`<section aria-labelledby="${anchor(`theme-${section.plan.slug}`, theme.title)}">
<h3 id="${anchor(`theme-${section.plan.slug}`, theme.title)}">${theme.title}</h3>
${theme.entries.map((entry) => itemArticle(entry, section.plan.slug))}</section>
`,
)}</section>
`,
)}</main>
<footer>
<p>A draft for the Taskforce to edit, made by taskforce-bot on ${data.madeAt} from the status updates leads gave. Statuses are as of ${data.statusesAsOf}.</p>
</footer>
</div>
</body>
</html>
`;
  return page.value;
}
