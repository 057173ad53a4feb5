import { createHash } from 'node:crypto';
import { CHART_KINDS, chartAltText, chartTitle, monthWords, overdueOverTime, progressByTheme, statusOverTime, type ChartData, type ChartKind, type ThemeProgress } from '../domain/charts';
import type { ChartDay } from '../domain/commands';
import { DomainError } from '../domain/errors';
import { addDays, dayjs, localDate, startOfLocalDay } from '../domain/time';
import { renderChart, type RenderedChart } from '../charts/render';
import type { Db } from '../store/client';
import { sentTs } from '../store/ledger';
import { claimRequest, releaseRequest, requestDone } from '../store/requests';
import { loadItems, loadMeetings, loadPlanStarts } from '../store/tracked-items';
import type { Taskforce } from './context';

export type { RenderedChart } from '../charts/render';

/** The numbers behind charts of the plans as of a moment, read from the database. */
export async function chartData(deps: { db: Db; timeZone: string }, asOf: Date, kinds: readonly ChartKind[] = CHART_KINDS): Promise<ChartData[]> {
  const [items, meetings, starts] = await Promise.all([loadItems(deps.db), loadMeetings(deps.db), loadPlanStarts(deps.db)]);
  const from = starts[0];
  if (!from) throw new Error('no plans: import the plans first');
  const context = { timeZone: deps.timeZone, meetings };
  return kinds.map((kind): ChartData => {
    switch (kind) {
      case 'status':
        return statusOverTime(items, from, asOf, deps.timeZone);
      case 'themes':
        return progressByTheme(items, asOf);
      case 'overdue':
        return overdueOverTime(items, from, asOf, context);
    }
  });
}

/**
 * The charts of the plans as of a moment, drawn: for the digest, /chart, App Home, the console
 * and the published report (which inlines each `png` as a data: URI with its `altText`).
 */
export async function renderCharts(deps: { db: Db; timeZone: string }, asOf: Date, kinds: readonly ChartKind[] = CHART_KINDS): Promise<RenderedChart[]> {
  return (await chartData(deps, asOf, kinds)).map((data) => renderChart(data, deps.timeZone));
}

/** A chart a person asked for, drawn, with the name its file goes by. */
export interface PersonChart {
  chart: RenderedChart;
  filename: string;
}

/** The instant a chart "as of a day" shows: the end of that plan-local day, or now for today. */
const dayWords = (date: string) => dayjs(date).format('D MMM YYYY');

function chartInstant(day: ChartDay, now: Date, timeZone: string, firstMonth: string): Date {
  const year = day.year ?? Number(localDate(now, timeZone).slice(0, 4));
  const date = `${year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
  if (!dayjs(date, 'YYYY-MM-DD', true).isValid()) throw new DomainError('bad-date', `${day.day}/${day.month}/${year} isn't a date: February ${year} has 28 days. Nothing was sent.`);
  const today = localDate(now, timeZone);
  if (date > today) throw new DomainError('bad-date', `${dayWords(date)} is still to come: a chart shows what has happened, so give a day up to today (${dayWords(today)}). Nothing was sent.`);
  if (date.slice(0, 7) < firstMonth) throw new DomainError('bad-date', `${dayWords(date)} is before the plans began (${monthWords(firstMonth)}): give a later day. Nothing was sent.`);
  return date === today ? now : new Date(startOfLocalDay(addDays(date, 1), timeZone).getTime() - 1);
}

/**
 * `/chart`: one chart as of now or a day. With the request's key (Slack's trigger id), the same
 * request delivered twice is sent once.
 */
export async function chartForPerson(taskforce: Taskforce, userId: string, kind: ChartKind, day: ChartDay | null, dedupeKey?: string): Promise<{ title: string; location: string }> {
  const now = taskforce.clock.now();
  const [firstMonth] = await loadPlanStarts(taskforce.db);
  if (!firstMonth) throw new Error('no plans: import the plans first');
  const asOf = day ? chartInstant(day, now, taskforce.timeZone, firstMonth) : now;
  const [chart] = await renderCharts(taskforce, asOf, [kind]);
  if (dedupeKey && !(await claimRequest(taskforce.db, dedupeKey, 'chart', userId, now))) {
    return { title: chart.title, location: 'already on its way to you (the same request arrived twice; it is sent once)' };
  }
  let location: string;
  try {
    location = await taskforce.publisher.publishChart(userId, { chart, filename: `${kind}-as-of-${localDate(asOf, taskforce.timeZone)}.png` });
  } catch (error) {
    if (dedupeKey) await releaseRequest(taskforce.db, dedupeKey);
    throw error;
  }
  if (dedupeKey) await requestDone(taskforce.db, dedupeKey, taskforce.clock.now());
  return { title: chart.title, location };
}

/**
 * App Home's chart: progress by theme as of now, its numbers hashed with the day, so that opening
 * Home again draws and uploads nothing new until a status changes or the day turns. `upload` puts
 * the PNG where Home can show it and says how to refer to it (Slack: the file's id).
 */
export async function homeChart(
  taskforce: Pick<Taskforce, 'db' | 'clock' | 'timeZone'>,
  upload: (chart: PersonChart) => Promise<string>,
): Promise<{ ref: string; title: string; altText: string } | null> {
  const now = taskforce.clock.now();
  const [data] = await chartData(taskforce, now, ['themes']);
  const day = localDate(now, taskforce.timeZone);
  const hash = createHash('sha256').update(JSON.stringify({ day, themes: (data as ThemeProgress).themes })).digest('hex').slice(0, 24);
  const key = `home-chart:${day}:${hash}`;
  const title = chartTitle(data, taskforce.timeZone);
  const altText = chartAltText(data, taskforce.timeZone);
  const cached = await sentTs(taskforce.db, key);
  if (cached) return { ref: cached, title, altText };
  // Another Home being opened this moment is drawing it: this one goes without, once.
  if (!(await claimRequest(taskforce.db, key, 'home-chart', 'home', now))) return null;
  try {
    const ref = await upload({ chart: renderChart(data, taskforce.timeZone), filename: `themes-as-of-${day}.png` });
    await requestDone(taskforce.db, key, taskforce.clock.now(), ref);
    return { ref, title, altText };
  } catch (error) {
    await releaseRequest(taskforce.db, key);
    throw error;
  }
}
