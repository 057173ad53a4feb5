import { createHash } from 'node:crypto';
import { reportMarkdown, textBlocks, type ReportData } from '../../src/domain/report';
import { escapeHtml, html } from '../../src/export/html';
import { reportHtml } from '../../src/export/report-html';
import { sampleCharts } from '../helpers/png';

const HOSTILE = ['<img src=x onerror=alert(1)>', '[link](http://evil.example/)', '![](http://x.example/y.png)', '<script>alert(2)</script>', '"><a href="http://evil.example/">x</a>', "' onmouseover='alert(3)"];

function data(notes: readonly string[] = HOSTILE): ReportData {
  return {
    period: { from: '2016-11', to: '2017-04' },
    title: 'Progress report: November 2016 to April 2017',
    madeAt: '10 May 2017 10:00',
    statusesAsOf: '30 April 2017',
    counts: [
      { status: 'not-started', count: 1 },
      { status: 'done', count: 1 },
    ],
    changes: notes.length,
    overdue: { ended: true, lastDay: '30 April 2017', count: 3 },
    sections: [
      {
        plan: { slug: 'ambition-2016-2021', title: 'Libraries Deliver: Ambition for Public Libraries in England 2016-2021' },
        themes: [
          {
            title: 'Making the case for libraries',
            entries: [
              {
                ref: '12',
                title: "Ensure that the projects delivered through the £4 million 'Libraries…",
                text: "Ensure that the projects delivered through the £4 million 'Libraries: Opportunities for Everyone' innovation fund:\n• support those people living in the most disadvantaged areas\n• are rigorously evaluated",
                leads: ['Arts Council England', 'DCMS & <friends>'],
                deadlineText: '6 monthly review*',
                status: 'done',
                rag: 'green',
                parts: { done: 2, total: 2 },
                updates: notes.map((note, index) => ({ date: `${index + 1} Feb 2017`, what: 'On track', note })),
              },
              { ref: 'LG3', title: 'A challenge <b>bold</b>', text: 'A challenge <b>bold</b>', leads: ['Local government'], deadlineText: null, status: 'not-started', rag: null, parts: null, updates: [] },
            ],
          },
        ],
      },
    ],
  };
}

/** Every tag's name, and every URL an attribute gives. */
function tagsAndUrls(page: string) {
  const tags = [...page.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)\b/g)].map((match) => match[1].toLowerCase());
  const urls = [...page.matchAll(/\s(?:src|href|action|srcset|poster|data)\s*=\s*"([^"]*)"/gi)].map((match) => match[1]);
  return { tags: new Set(tags), urls };
}

describe('the HTML report, built by pure functions', () => {
  test('escapes every value; fragments made by html`` nest without escaping twice', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    const inner = html`<em>${'<b>'}</em>`;
    expect(html`<p>${inner} ${['a', '<', null, false, undefined, 3]}</p>`.value).toBe('<p><em>&lt;b&gt;</em> a&lt;3</p>');
  });

  test('hostile notes, leads and texts are shown as words: no tag, image, link or handler gets in', () => {
    const page = reportHtml(data(), []);
    const { tags, urls } = tagsAndUrls(page);
    expect([...tags].sort()).toEqual(
      ['a', 'article', 'body', 'caption', 'dd', 'div', 'dl', 'dt', 'footer', 'h1', 'h2', 'h3', 'h4', 'head', 'header', 'html', 'li', 'main', 'meta', 'nav', 'ol', 'p', 'section', 'span', 'strong', 'style', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr', 'ul'].sort(),
    );
    expect(urls.every((url) => url.startsWith('#'))).toBe(true);
    // Inside the page's own tags, no event handler; the hostile words are only ever text between them.
    expect([...page.matchAll(/<[a-zA-Z][^>]*>/g)].filter((tag) => /\son\w+\s*=/i.test(tag[0]))).toEqual([]);
    for (const note of HOSTILE) expect(page).toContain(`<td class="note">${escapeHtml(note)}</td>`);
    expect(page).toContain('<dd>Arts Council England, DCMS &amp; &lt;friends&gt;</dd>');
    expect(page).toContain('<span class="title">A challenge &lt;b&gt;bold&lt;/b&gt;</span>');
  });

  test('the same notes in the Markdown draft stay words too: no link, image or tag', () => {
    const markdown = reportMarkdown(data());
    expect(markdown).toContain('— \\<img src=x onerror=alert\\(1\\)\\>\n');
    expect(markdown).toContain('— \\[link\\]\\(http://evil.example/\\)\n');
    expect(markdown).toContain('— \\!\\[\\]\\(http://x.example/y.png\\)\n');
    expect(markdown).not.toMatch(/[^\\]\[link\]|[^\\]!\[|[^\\]<script/);
  });

  test('a strict Content-Security-Policy: nothing loads, no script runs, only its own stylesheet (by hash) and data: images', () => {
    const page = reportHtml(data([]), sampleCharts());
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1];
    const style = /<style>([^]*?)<\/style>/.exec(page)![1];
    const hash = createHash('sha256').update(style).digest('base64');
    expect(policy).toBe(`default-src &#39;none&#39;; img-src data:; style-src &#39;sha256-${hash}&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;`);
    expect(page).toMatch(/@media print \{/);
  });

  test('headings a screen reader moves through, tables with captions and scoped headers, every item in the plan\'s own words', () => {
    const page = reportHtml(data([]), []);
    expect(page).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(page).toContain('<h1>Progress report: November 2016 to April 2017</h1>');
    expect(page).toContain('<h2 id="plan-ambition-2016-2021">Libraries Deliver: Ambition for Public Libraries in England 2016-2021</h2>');
    expect(page).toContain('<h3 id="theme-ambition-2016-2021-making-the-case-for-libraries">Making the case for libraries</h3>');
    expect(page).toContain('<caption>Items by status, as of 30 April 2017</caption>');
    expect(page).toContain('<th scope="col">Status</th>');
    expect(page).toContain('<tr><th scope="row"><strong class="status green">Done<span class="rag"> (green)</span></strong></th><td class="num">1</td></tr>');
    // The whole text, its bullets a list: not only the title.
    expect(page).toContain(
      "<div class=\"words\"><p>Ensure that the projects delivered through the £4 million &#39;Libraries: Opportunities for Everyone&#39; innovation fund:</p><ul><li>support those people living in the most disadvantaged areas</li><li>are rigorously evaluated</li></ul></div>",
    );
    expect(page).toContain('<dt>Status</dt><dd><strong class="status green">Done<span class="rag"> (green)</span></strong> · 2 of 2 parts done</dd>');
    expect(page).toContain('<dt>Deadline</dt><dd>6 monthly review*</dd>');
    expect(page).toContain('<article class="item" id="item-ambition-2016-2021-lg3" data-ref="LG3" aria-labelledby="item-ambition-2016-2021-lg3-heading">');
    // Every fragment link lands on an id in the page.
    const ids = new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));
    const links = [...page.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(2);
    expect(links.filter((link) => !ids.has(link))).toEqual([]);
  });

  test('charts inlined as data: URIs with their alt text and size; with none, no charts section and no placeholder', () => {
    const charts = sampleCharts();
    const page = reportHtml(data([]), [{ ...charts[0], altText: 'Counts <80> & "more"' }, charts[1]]);
    const images = [...page.matchAll(/<img src="data:image\/png;base64,([^"]+)" alt="([^"]*)" width="(\d+)" height="(\d+)">/g)];
    expect(images.map((match) => [Buffer.from(match[1], 'base64').equals(charts[images.indexOf(match)].png), match[2], Number(match[3]), Number(match[4])])).toEqual([
      [true, 'Counts &lt;80&gt; &amp; &quot;more&quot;', 320, 160],
      [true, charts[1].altText, 240, 120],
    ]);
    expect(page).toContain('<figcaption>Items by status, month by month</figcaption>');
    expect(page).toContain('<li><a href="#charts">Charts</a></li>');

    const bare = reportHtml(data([]), []);
    expect(bare.slice(bare.indexOf('</style>'))).not.toMatch(/chart|<figure|<img/i);
  });

  test("an item's text: bullet lines make a list, other lines paragraphs", () => {
    expect(textBlocks('Intro:\n• one\n- two\n\nAfter\n* three')).toEqual([
      { kind: 'paragraph', text: 'Intro:' },
      { kind: 'list', items: ['one', 'two'] },
      { kind: 'paragraph', text: 'After' },
      { kind: 'list', items: ['three'] },
    ]);
  });
});
