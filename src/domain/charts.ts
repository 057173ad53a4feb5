import { assessItem, occurrencesOf, statusAsOf, type DeadlineContext, type TrackedItem } from './deadlines';
import { STATUS_LABEL, STATUSES, type Status } from './statuses';
import { cut } from './text';
import { addMonths, dayjs, localDate, monthIndex, startOfMonth, type LocalDate, type Month } from './time';

/**
 * The numbers behind the charts, as plain values: counted from the plan's state as of a moment
 * with the same rules /digest and the open-data export use (statusAsOf, overdueAsOf). Pure: the
 * drawing is src/charts/render.ts. Dates are ISO strings, so a value kept in the send ledger
 * reads back as it was claimed.
 */
export const CHART_KINDS = ['status', 'themes', 'overdue'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export type StatusCounts = Record<Status, number>;

/** Each month of the plans so far: how many items were in each status at its end (or as of now, this month). */
export interface StatusOverTime {
  kind: 'status';
  asOf: string;
  months: { month: Month; counts: StatusCounts }[];
}

/** Each theme (or work area), its items split by status, as of a moment. */
export interface ThemeProgress {
  kind: 'themes';
  asOf: string;
  themes: { code: string; title: string; label: string; counts: StatusCounts }[];
}

/** Each month: how many deadlines were overdue at its end (or now); and the meetings so far. */
export interface OverdueOverTime {
  kind: 'overdue';
  asOf: string;
  months: { month: Month; overdue: number }[];
  meetings: LocalDate[];
}

export type ChartData = StatusOverTime | ThemeProgress | OverdueOverTime;

/** Where the month-by-month charts stop counting a month: its end, or the moment if sooner. */
function monthEnds(from: Month, asOf: Date, timeZone: string): { month: Month; at: Date }[] {
  const last = localDate(asOf, timeZone).slice(0, 7);
  const points: { month: Month; at: Date }[] = [];
  for (let month = from; monthIndex(month) <= monthIndex(last); month = addMonths(month, 1)) {
    const end = new Date(startOfMonth(addMonths(month, 1), timeZone).getTime() - 1);
    points.push({ month, at: end < asOf ? end : asOf });
  }
  return points;
}

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STATUSES.map((status) => [status, 0])) as StatusCounts;
}

/**
 * An item's value at each of the points (ascending), worked out only where it can have changed:
 * what statusAsOf and assessItem say depends on nothing but the entries and due times up to the
 * moment, so between two of those `changes` the value of the last point holds. (A 10,000-item
 * plan's overdue line: 22 s asking at every month, about 3 s this way, loading included.)
 */
function atEachPoint<T>(points: readonly Date[], changes: readonly number[], valueAt: (at: Date) => T): T[] {
  const sorted = [...changes].sort((a, b) => a - b);
  const values: T[] = [];
  let seen = 0;
  let previous = -1;
  for (const [index, at] of points.entries()) {
    while (seen < sorted.length && sorted[seen] <= at.getTime()) seen++;
    values.push(index > 0 && seen === previous ? values[index - 1] : valueAt(at));
    previous = seen;
  }
  return values;
}

/** `from` is the month the first plan starts. */
export function statusOverTime(items: readonly TrackedItem[], from: Month, asOf: Date, timeZone: string): StatusOverTime {
  const points = monthEnds(from, asOf, timeZone);
  const months = points.map(({ month }) => ({ month, counts: emptyCounts() }));
  for (const item of items) {
    const statuses = atEachPoint(points.map((point) => point.at), item.history.map((entry) => entry.at.getTime()), (at) => statusAsOf(item, at));
    statuses.forEach((status, index) => months[index].counts[status]++);
  }
  return { kind: 'status', asOf: asOf.toISOString(), months };
}

/** A theme's name short enough for an axis: its code where the plan numbers them (W1), and its first words. */
export function themeLabel(theme: { code: string; title: string }): string {
  const title = theme.title.replace(/^The Taskforce (and its member organisations )?will /, '');
  const words = cut(title.charAt(0).toUpperCase() + title.slice(1), 50);
  return /^[A-Z]+\d+$/.test(theme.code) ? `${theme.code} ${words}` : words;
}

/** Themes in the order the plans give them (items come loaded in plan order); items with none under "No theme". */
export function progressByTheme(items: readonly (TrackedItem & { theme: { code: string; title: string } | null })[], asOf: Date): ThemeProgress {
  const themes = new Map<string, ThemeProgress['themes'][number]>();
  for (const item of items) {
    const theme = item.theme ?? { code: '', title: 'No theme' };
    const entry = themes.get(theme.code) ?? { code: theme.code, title: theme.title, label: themeLabel(theme), counts: emptyCounts() };
    entry.counts[statusAsOf(item, asOf)]++;
    themes.set(theme.code, entry);
  }
  return { kind: 'themes', asOf: asOf.toISOString(), themes: [...themes.values()] };
}

/** Counted as overdueAsOf (and so /digest) counts: each open overdue deadline occurrence. */
export function overdueOverTime(items: readonly TrackedItem[], from: Month, asOf: Date, context: DeadlineContext): OverdueOverTime {
  const start = startOfMonth(from, context.timeZone);
  const points = monthEnds(from, asOf, context.timeZone);
  const months = points.map(({ month }) => ({ month, overdue: 0 }));
  for (const item of items) {
    const changes = [...item.history.map((entry) => entry.at.getTime()), ...item.milestones.flatMap((milestone) => occurrencesOf(milestone, context).map((occurrence) => occurrence.dueAt.getTime()))];
    const counts = atEachPoint(points.map((point) => point.at), changes, (at) => assessItem(item, at, context).filter((occurrence) => occurrence.state === 'overdue').length);
    counts.forEach((count, index) => (months[index].overdue += count));
  }
  return {
    kind: 'overdue',
    asOf: asOf.toISOString(),
    months,
    meetings: context.meetings
      .map((meeting) => meeting.startsAt)
      .filter((startsAt) => startsAt >= start && startsAt <= asOf)
      .sort((a, b) => a.getTime() - b.getTime())
      .map((startsAt) => localDate(startsAt, context.timeZone)),
  };
}

// ---- Words: the title and the text alternative (Slack's alt text, the report's alt).

export function monthWords(month: Month): string {
  return dayjs(`${month}-01`).format('MMM YYYY');
}

function dayWords(date: LocalDate): string {
  return dayjs(date).format('D MMMM YYYY');
}

function asOfWords(data: ChartData, timeZone: string): string {
  return dayWords(localDate(new Date(data.asOf), timeZone));
}

export function chartTitle(data: ChartData, timeZone: string): string {
  const asOf = asOfWords(data, timeZone);
  switch (data.kind) {
    case 'status':
      return `Items by status, month by month, to ${asOf}`;
    case 'themes':
      return `Progress by theme, as of ${asOf}`;
    case 'overdue':
      return `Overdue deadlines, month by month, to ${asOf}`;
  }
}

/** "56 not started, 4 on track": the statuses that have items. */
function countsWords(counts: StatusCounts): string {
  return STATUSES.filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${STATUS_LABEL[status].toLowerCase()}`).join(', ');
}

function total(counts: StatusCounts): number {
  return STATUSES.reduce((sum, status) => sum + counts[status], 0);
}

/** A text alternative that states the chart's numbers, most recent first where it is a series. */
export function chartAltText(data: ChartData, timeZone: string): string {
  const title = chartTitle(data, timeZone);
  switch (data.kind) {
    case 'status': {
      const latest = data.months.at(-1);
      if (!latest) return `${title}: no months yet.`;
      const order = STATUSES.map((status) => STATUS_LABEL[status].toLowerCase()).join(' / ');
      const series = [...data.months].reverse().map(({ month, counts }) => `${monthWords(month)} ${STATUSES.map((status) => counts[status]).join('/')}`);
      return `${title}. Now ${total(latest.counts)} items: ${countsWords(latest.counts)}. Month by month, newest first (${order}): ${series.join('; ')}.`;
    }
    case 'themes':
      return `${title}. ${data.themes.map((theme) => `${theme.label}: ${total(theme.counts)} items, ${countsWords(theme.counts)}`).join('. ')}.`;
    case 'overdue': {
      const latest = data.months.at(-1);
      if (!latest) return `${title}: no months yet.`;
      const series = [...data.months].reverse().map(({ month, overdue }) => `${monthWords(month)} ${overdue}`);
      const meetings = data.meetings.length ? `Meetings marked: ${data.meetings.map(dayWords).join(', ')}.` : 'No meetings so far.';
      return `${title}. Now ${latest.overdue} overdue. Newest first: ${series.join('; ')}. ${meetings}`;
    }
  }
}
