import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { fixedClock } from '../../src/domain/clock';
import { itemTitle } from '../../src/domain/titles';
import { CHROMIUM, CHROMIUM_ARGS } from '../../src/export/report-pdf';
import { loadItems, recordStatus } from '../../src/store/tracked-items';
import { draftReport } from '../../src/taskforce/digests';
import { renderCharts } from '../../src/taskforce/charts';
import { freshStore, TIME_ZONE } from '../helpers/store';

/** Screenshots land here (gitignored), printed by the test so a person can look at them. */
const OUTPUT = path.resolve(__dirname, '../../test-output/report-browser');

const HOSTILE_NOTES = [
  '<img src=x onerror="window.__pwned=1">',
  '[link](http://evil.example/)',
  '![](http://x.example/y.png)',
  '<script>window.__pwned=2</script>',
  '<a href="http://evil.example/">click</a> <iframe src="http://evil.example/"></iframe>',
];

interface PageFindings {
  items: { id: string; ref: string; title: string; words: string }[];
  images: { loaded: boolean; naturalWidth: number; alt: string }[];
  links: string[];
  scripts: number;
  pwned: number | null;
  h1: string | undefined;
  notes: string[];
}

describe('issue 14 item 4: the HTML report in a real headless browser (Debian chromium), offline', () => {
  let browser: Browser;

  beforeAll(async () => {
    // Chromium is installed by .ci/run; without it this test fails rather than pass on nothing.
    expect(fs.existsSync(CHROMIUM)).toBe(true);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(() => browser?.close());

  test('every item found by its ref and title, every chart loaded, hostile notes inert, no request and no console error', async () => {
    const store = await freshStore();
    const at = new Date('2017-03-01T10:00:00Z');
    await recordStatus(store.db, { ref: '10', status: 'done', note: 'toolkit published', actor: 'U0LGA', source: 'command', at });
    for (const [index, note] of HOSTILE_NOTES.entries()) {
      await recordStatus(store.db, { ref: '12', status: 'at-risk', note, actor: 'U0ANN', source: 'command', at: new Date(at.getTime() + (index + 1) * 3_600_000) });
    }
    await recordStatus(store.db, { ref: 'W1-18a', status: 'on-track', note: 'work started', actor: 'U0ANN', source: 'command', at });
    const items = await loadItems(store.db);
    const draft = await draftReport({ db: store.db, clock: fixedClock(new Date('2017-05-10T09:00:00Z')), timeZone: TIME_ZONE }, '2017-04');
    // The charts the report carries: the three progress charts as of its statuses (1 May 2017).
    const shownCharts = await renderCharts({ db: store.db, timeZone: TIME_ZONE }, new Date('2017-04-30T23:00:00Z'));
    await store.close();

    fs.mkdirSync(OUTPUT, { recursive: true });
    const file = path.join(OUTPUT, `${draft.basename}.html`);
    fs.writeFileSync(file, draft.html);
    const fileUrl = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (request.url() !== fileUrl && !request.url().startsWith('data:')) requests.push(request.url());
    });
    await page.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(fileUrl, { waitUntil: 'load' });

    // Run in the page (a string: this project's TypeScript has no DOM types).
    const found: PageFindings = await page.evaluate(`({
      items: [...document.querySelectorAll('article.item')].map((article) => ({
        id: article.id,
        ref: article.querySelector('h4 .ref')?.textContent ?? '',
        title: article.querySelector('h4 .title')?.textContent ?? '',
        words: article.querySelector('.words')?.innerText ?? '',
      })),
      images: [...document.images].map((image) => ({ loaded: image.complete, naturalWidth: image.naturalWidth, alt: image.alt })),
      links: [...document.querySelectorAll('a')].map((link) => link.getAttribute('href') ?? ''),
      scripts: document.querySelectorAll('script, iframe, object, embed').length,
      pwned: window.__pwned ?? null,
      h1: document.querySelector('h1')?.textContent,
      notes: [...document.querySelectorAll('#item-ambition-2016-2021-12 td.note')].map((cell) => cell.textContent),
    })`);

    // Every item, by its ref and its title, its own words in full.
    const byId = new Map(found.items.map((entry) => [entry.id, entry]));
    expect(found.items).toHaveLength(items.length);
    for (const item of items) {
      const entry = byId.get(`item-${item.plan.slug}-${item.ref.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
      expect({ ref: entry?.ref, title: entry?.title }).toEqual({ ref: item.ref, title: itemTitle(item.text) });
      expect(entry!.words.replace(/\s+/g, ' ')).toBe(item.text.replace(/^[•*-]\s+/gm, '').replace(/\s+/g, ' ').trim());
    }
    expect(found.h1).toBe('Progress report: November 2016 to April 2017');
    // The three progress charts decoded, each with the alt text that states its numbers; nothing else is an image.
    expect(shownCharts.map((chart) => chart.kind)).toEqual(['status', 'themes', 'overdue']);
    expect(found.images).toEqual(shownCharts.map((chart) => ({ loaded: true, naturalWidth: chart.width, alt: chart.altText })));
    // The hostile notes are words on the page, and did nothing.
    expect(found.notes).toEqual(HOSTILE_NOTES);
    expect(found.links.filter((href) => !href.startsWith('#'))).toEqual([]);
    expect(found.scripts).toBe(0);
    expect(found.pwned).toBeNull();
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);

    const top = path.join(OUTPUT, 'report-top.png');
    await page.screenshot({ path: top });
    const summary = path.join(OUTPUT, 'report-summary.png');
    await page.locator('#summary').screenshot({ path: summary });
    const charts = path.join(OUTPUT, 'report-charts.png');
    await page.locator('#charts').screenshot({ path: charts });
    const item = path.join(OUTPUT, 'report-item-12.png');
    await page.locator('#item-ambition-2016-2021-12').screenshot({ path: item });
    await page.emulateMedia({ media: 'print' });
    await page.evaluate('window.scrollTo(0, 0)');
    const printed = path.join(OUTPUT, 'report-print.png');
    await page.screenshot({ path: printed });
    for (const shot of [top, summary, charts, item, printed]) expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    process.stdout.write(`report-browser: the page and its screenshots are in ${path.relative(process.cwd(), OUTPUT)}/\n`);
    await page.close();
  });
});
