import fs from 'node:fs';
import path from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { CHART_KINDS, type ChartData, type OverdueOverTime, type StatusOverTime, type ThemeProgress } from '../../src/domain/charts';
import { buildDigest } from '../../src/domain/digest';
import { STATUSES } from '../../src/domain/statuses';
import { addMonths, startOfMonth } from '../../src/domain/time';
import { buildOpenData } from '../../src/export/open-data';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/charts/render';
import { chartData, renderCharts } from '../../src/taskforce/charts';
import { loadItems, loadMeetings, recordStatus } from '../../src/store/tracked-items';
import { freshStore, scratchDir, TIME_ZONE } from '../helpers/store';

/** The days the issue names, in the plans' life: early on, in the second plan's first year, at its end. */
const DAYS = [
  ['15 May 2017', new Date('2017-05-15T09:00:00Z')],
  ['1 May 2018', new Date('2018-05-01T09:00:00Z')],
  ['1 March 2020', new Date('2020-03-01T09:00:00Z')],
] as const;

const OUT = scratchDir('charts');

describe('issue 14: charts of the real plans, drawn from the database', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    store = await freshStore();
    const meeting = (startsAt: string) => ({ startsAt: new Date(startsAt), createdBy: 'U0ADMIN', createdAt: new Date('2017-01-01T00:00:00Z') });
    await store.db.meeting.createMany({ data: ['2017-03-20T14:00:00Z', '2017-05-26T13:00:00Z', '2017-11-20T14:00:00Z', '2018-04-10T13:00:00Z', '2019-06-12T13:00:00Z'].map(meeting) });
    // A plan's life: updates over three years, some items moving through several statuses.
    const updates: [string, (typeof STATUSES)[number], string][] = [
      ['2', 'on-track', '2017-03-01'], ['10', 'done', '2017-04-10'], ['3', 'at-risk', '2017-05-02'], ['5', 'blocked', '2017-05-10'],
      ['3', 'off-track', '2017-09-01'], ['12', 'on-track', '2017-10-01'], ['LG1', 'at-risk', '2018-02-01'], ['W1-18a', 'on-track', '2018-03-01'],
      ['W2-18a', 'done', '2018-04-20'], ['3', 'done', '2018-06-01'], ['W3-18a', 'blocked', '2019-01-10'], ['W1-18b', 'off-track', '2019-05-01'],
      ['2', 'done', '2019-09-01'], ['CG1', 'on-track', '2020-01-15'],
    ];
    for (const [ref, status, day] of updates) await recordStatus(store.db, { ref, status, actor: 'U0LEAD', source: 'command', at: new Date(`${day}T10:00:00Z`) });
  });
  afterAll(() => store.close());

  async function state() {
    const [items, meetings] = await Promise.all([loadItems(store.db), loadMeetings(store.db)]);
    const context = { timeZone: TIME_ZONE, meetings };
    /** What /digest says as of a moment (for a meeting a week on), and what the export says. */
    const digest = (at: Date) => buildDigest(items, { startsAt: new Date(at.getTime() + 7 * 86_400_000) }, meetings, at, context, { quietDays: 60 });
    const exported = (at: Date) => buildOpenData(items, at, context);
    return { digest, exported };
  }

  test.each(DAYS)('as of %s: the numbers behind each chart are those /digest and the export give', async (_words, asOf) => {
    const [status, themes, overdue] = (await chartData({ db: store.db, timeZone: TIME_ZONE }, asOf)) as [StatusOverTime, ThemeProgress, OverdueOverTime];
    const { digest, exported } = await state();

    // Month by month, from the first plan's start (December 2016) to the month of the day.
    expect(status.months[0].month).toBe('2016-12');
    expect(status.months.at(-1)!.month).toBe(asOf.toISOString().slice(0, 7));
    for (const [index, { month, counts }] of status.months.entries()) {
      const last = index === status.months.length - 1;
      const at = last ? asOf : new Date(startOfMonth(addMonths(month, 1), TIME_ZONE).getTime() - 1);
      expect(counts).toEqual(digest(at).counts);
      const byStatus = Object.fromEntries(STATUSES.map((s) => [s, exported(at).items.filter((item) => item.status === s).length]));
      expect(counts).toEqual(byStatus);
      expect(overdue.months[index]).toEqual({ month, overdue: digest(at).overdueCount });
    }

    // By theme: the export's items of each theme, by status; every item in one theme.
    const rows = exported(asOf).items;
    expect(themes.themes.map((theme) => theme.title)).toEqual([...new Set(rows.map((item) => item.theme))]);
    for (const theme of themes.themes) {
      const mine = rows.filter((item) => item.theme === theme.title);
      expect(theme.counts).toEqual(Object.fromEntries(STATUSES.map((s) => [s, mine.filter((item) => item.status === s).length])));
    }
    expect(themes.themes.reduce((sum, theme) => sum + STATUSES.reduce((n, s) => n + theme.counts[s], 0), 0)).toBe(80);

    // The meetings marked are those up to the day.
    expect(overdue.meetings).toEqual((await loadMeetings(store.db)).filter((m) => m.startsAt <= asOf).map((m) => m.startsAt.toISOString().slice(0, 10)));
  });

  test('the numbers move as the plan does: more done and fewer not started by 2020', async () => {
    const [early, late] = await Promise.all([DAYS[0][1], DAYS[2][1]].map(async (at) => (await chartData({ db: store.db, timeZone: TIME_ZONE }, at, ['status']))[0] as StatusOverTime));
    expect(early.months.at(-1)!.counts.done).toBe(1);
    expect(late.months.at(-1)!.counts.done).toBe(4);
    expect(late.months.at(-1)!.counts['not-started']).toBeLessThan(early.months.at(-1)!.counts['not-started']);
  });

  test.each(DAYS)('as of %s: each chart is a PNG of its size that decodes, is drawn on, and says its numbers in words', async (words, asOf) => {
    const charts = await renderCharts({ db: store.db, timeZone: TIME_ZONE }, asOf);
    const data = await chartData({ db: store.db, timeZone: TIME_ZONE }, asOf);
    expect(charts.map((chart) => chart.kind)).toEqual([...CHART_KINDS]);
    for (const [index, chart] of charts.entries()) {
      fs.writeFileSync(path.join(OUT, `${chart.kind}-${asOf.toISOString().slice(0, 10)}.png`), chart.png);
      expect(chart.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const image = await loadImage(chart.png);
      expect([image.width, image.height, chart.width, chart.height]).toEqual([CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT]);
      const pixels = decodedColours(image);
      // A white page with a chart on it: text in ink, and the colours of what it shows.
      expect(pixels.get('ffffff')! / (CHART_WIDTH * CHART_HEIGHT)).toBeGreaterThan(0.3);
      expect(pixels.get('ffffff')! / (CHART_WIDTH * CHART_HEIGHT)).toBeLessThan(0.97);
      expect(pixels.has('0b0c0c')).toBe(true);
      for (const colour of coloursShown(data[index])) expect(pixels.has(colour)).toBe(true);

      expect(chart.title).toContain(words);
      expect(chart.altText.startsWith(chart.title)).toBe(true);
    }
    const [status, themes, overdue] = data as [StatusOverTime, ThemeProgress, OverdueOverTime];
    const now = status.months.at(-1)!.counts;
    expect(charts[0].altText).toContain(`Now 80 items: ${now['not-started']} not started`);
    expect(charts[1].altText).toContain(`${themes.themes[0].label}: ${STATUSES.reduce((n, s) => n + themes.themes[0].counts[s], 0)} items`);
    expect(charts[2].altText).toContain(`Now ${overdue.months.at(-1)!.overdue} overdue`);
  });
});

/** How many pixels of each colour (hex) the PNG holds, decoded. */
function decodedColours(image: Awaited<ReturnType<typeof loadImage>>): Map<string, number> {
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  const counts = new Map<string, number>();
  for (let at = 0; at < data.length; at += 4) {
    const hex = [data[at], data[at + 1], data[at + 2]].map((value) => value.toString(16).padStart(2, '0')).join('');
    counts.set(hex, (counts.get(hex) ?? 0) + 1);
  }
  return counts;
}

/** The solid colours a chart must show: those of the statuses it has items in (patterned ones show theirs between stripes), or the line. */
function coloursShown(data: ChartData): string[] {
  if (data.kind === 'overdue') return ['d55e00'];
  const colours: Record<string, string> = { 'not-started': 'c4c4c4', 'on-track': '009e73', 'at-risk': 'e69f00', 'off-track': 'd55e00', blocked: 'cc79a7', done: '0072b2' };
  const rows = data.kind === 'status' ? data.months.map((m) => m.counts) : data.themes.map((t) => t.counts);
  return STATUSES.filter((status) => rows.some((counts) => counts[status] > 0)).map((status) => colours[status]);
}
