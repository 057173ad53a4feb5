import { assessItem, partsProgress, statusAsOf, type DeadlineContext } from './deadlines';
import type { DigestItem } from './digest';
import { RAG_OF_STATUS, STATUS_LABEL, STATUSES, type Rag, type Status } from './statuses';
import { addMonths, dayjs, localDate, startOfMonth, type Month } from './time';
import { itemTitle } from './titles';

export interface ReportItem extends DigestItem {
  plan: { slug: string; title: string };
  theme: { code: string; title: string } | null;
  /** The plan's own deadline words, where the plan gives them. */
  deadlineText?: string | null;
}

export interface ReportPeriod {
  /** First and last months covered, plan-local. */
  from: Month;
  to: Month;
}

/** The six months whose report is next due: ending with the first April or October from `asOf`'s month. */
export function reportPeriod(asOf: Date, timeZone: string, endMonth?: Month): ReportPeriod {
  let to = endMonth ?? localDate(asOf, timeZone).slice(0, 7);
  if (!endMonth) while (!['04', '10'].includes(to.slice(5))) to = addMonths(to, 1);
  return { from: addMonths(to, -5), to };
}

function monthName(month: Month): string {
  return dayjs(`${month}-01`).format('MMMM YYYY');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** One block of an item's own words: a paragraph, or the list its bullets ("•", "-", "*") make. */
export type TextBlock = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] };

/** An item's text as the plan sets it out: lines that start with a bullet are a list, others paragraphs. */
export function textBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const line of text.split('\n').map((entry) => entry.trim()).filter(Boolean)) {
    const bullet = /^[•*-]\s+(.*)$/.exec(line);
    const last = blocks[blocks.length - 1];
    if (!bullet) blocks.push({ kind: 'paragraph', text: line });
    else if (last?.kind === 'list') last.items.push(bullet[1]);
    else blocks.push({ kind: 'list', items: [bullet[1]] });
  }
  return blocks;
}

export interface ReportUpdate {
  /** Plan-local, "1 Feb 2017". */
  date: string;
  /** "Done", or a part: "“commission” done". */
  what: string;
  note: string | null;
}

export interface ReportEntry {
  ref: string;
  title: string;
  /** The plan's own words for the item, whole. */
  text: string;
  leads: readonly string[];
  deadlineText: string | null;
  status: Status;
  rag: Rag | null;
  parts: { done: number; total: number } | null;
  updates: ReportUpdate[];
}

export interface ReportSection {
  plan: { slug: string; title: string };
  themes: { title: string; entries: ReportEntry[] }[];
}

/**
 * What a six-monthly progress report says, worked out once, for each of its forms (Markdown,
 * HTML). A plain value: dates already worded in the plan's zone.
 */
export interface ReportData {
  period: ReportPeriod;
  /** "Progress report: November 2016 to April 2017". */
  title: string;
  /** When it was made, "20 April 2017 10:00". */
  madeAt: string;
  /** Statuses are as of this day: the period's end, or today while that is ahead. */
  statusesAsOf: string;
  counts: { status: Status; count: number }[];
  changes: number;
  overdue: { ended: true; lastDay: string; count: number } | { ended: false; asOf: string; now: number; lastDay: string; atEnd: number };
  sections: ReportSection[];
}

/** The instant a report's statuses (and charts) are as of: the period's end, or `asOf` while that is ahead. */
export function reportStatusesAsOf(period: ReportPeriod, asOf: Date, timeZone: string): Date {
  const end = startOfMonth(addMonths(period.to, 1), timeZone);
  return asOf >= end ? end : asOf;
}

export function reportData(items: readonly ReportItem[], period: ReportPeriod, asOf: Date, context: DeadlineContext): ReportData {
  const start = startOfMonth(period.from, context.timeZone);
  const end = startOfMonth(addMonths(period.to, 1), context.timeZone);
  const ended = asOf >= end;
  const until = reportStatusesAsOf(period, asOf, context.timeZone);
  const inPeriod = (at: Date) => at >= start && at < end && at <= asOf;
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  let changes = 0;
  let overdueNow = 0;
  // At the period's end: what is overdue by then unless met (from what is known now, if it is ahead).
  let overdueAtEnd = 0;
  const sections: ReportSection[] = [];
  for (const item of items) {
    const status = statusAsOf(item, until);
    counts[status]++;
    const updates = item.history.filter((entry) => entry.source !== 'import' && inPeriod(entry.at));
    changes += updates.length;
    overdueNow += assessItem(item, until, context).filter((o) => o.state === 'overdue').length;
    overdueAtEnd += assessItem(item, end, context).filter((o) => o.state === 'overdue').length;

    if (sections[sections.length - 1]?.plan.slug !== item.plan.slug) sections.push({ plan: item.plan, themes: [] });
    const themes = sections[sections.length - 1].themes;
    const themeTitle = oneLine(item.theme?.title ?? 'Other items');
    if (themes[themes.length - 1]?.title !== themeTitle) themes.push({ title: themeTitle, entries: [] });
    themes[themes.length - 1].entries.push({
      ref: item.ref,
      title: itemTitle(item.text),
      text: item.text,
      leads: item.leads,
      deadlineText: item.deadlineText ?? null,
      status,
      rag: RAG_OF_STATUS[status],
      parts: partsProgress(item, until),
      updates: updates.map((entry) => {
        const part = entry.deadlineId === null ? undefined : item.milestones.find((m) => m.id === entry.deadlineId);
        return {
          date: dayjs(entry.at).tz(context.timeZone).format('D MMM YYYY'),
          what: part ? `“${part.part ?? part.words}” ${STATUS_LABEL[entry.status].toLowerCase()}` : STATUS_LABEL[entry.status],
          note: entry.note,
        };
      }),
    });
  }
  const day = (instant: Date) => dayjs(instant).tz(context.timeZone).format('D MMMM YYYY');
  const lastDay = dayjs(end).tz(context.timeZone).subtract(1, 'day').format('D MMMM YYYY');
  return {
    period,
    title: `Progress report: ${monthName(period.from)} to ${monthName(period.to)}`,
    madeAt: dayjs(asOf).tz(context.timeZone).format('D MMMM YYYY HH:mm'),
    statusesAsOf: day(until),
    counts: STATUSES.filter((status) => counts[status] > 0).map((status) => ({ status, count: counts[status] })),
    changes,
    overdue: ended ? { ended, lastDay, count: overdueAtEnd } : { ended, asOf: day(asOf), now: overdueNow, lastDay, atEnd: overdueAtEnd },
    sections,
  };
}

/** Text a Markdown reader shows as it is: a note's `[link](…)`, `![image](…)` or `<tag>` stays words. */
function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]()<>!#|~]/g, '\\$&');
}

/**
 * An item's text under its bullet: its own bullets stay a list, nested in the item (with "*", so
 * that the item's "-" lines after it are a list of their own, not more of the text's); other
 * lines continue the item's paragraph.
 */
function itemText(text: string): string {
  const [first = '', ...rest] = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return [first, ...rest.map((line) => line.replace(/^(?:[•*-]\s+(.*)|(.*))$/, (_, bullet?: string, plain?: string) => (bullet !== undefined ? `  * ${bullet}` : `  ${plain}`)))].join('\n');
}

function statusWords(status: Status): string {
  const rag = RAG_OF_STATUS[status];
  return `**${STATUS_LABEL[status]}**${rag ? ` (${rag})` : ''}`;
}

/** The report as a Markdown draft for the Taskforce to edit. Pure. */
export function reportMarkdown(data: ReportData): string {
  const overdueLines = data.overdue.ended
    ? [`- Deadlines overdue at the end of the period (${data.overdue.lastDay}): ${data.overdue.count}`]
    : [
        `- Deadlines overdue as of ${data.overdue.asOf}: ${data.overdue.now}`,
        `- Overdue at the end of the period (${data.overdue.lastDay}, still ahead) unless met before then: ${data.overdue.atEnd}`,
      ];
  const lines = [
    `# ${data.title} (draft)`,
    '',
    `_A draft for the Taskforce to edit, made by taskforce-bot on ${data.madeAt} from the status updates leads gave. Statuses are as of ${data.statusesAsOf}._`,
    '',
    '## Summary',
    '',
    ...data.counts.map(({ status, count }) => `- ${STATUS_LABEL[status]}${RAG_OF_STATUS[status] ? ` (${RAG_OF_STATUS[status]})` : ''}: ${count}`),
    `- Status updates in the period: ${data.changes}`,
    ...overdueLines,
  ];
  for (const section of data.sections) {
    lines.push('', `## ${section.plan.title}`);
    for (const theme of section.themes) {
      lines.push('', `### ${theme.title}`, '');
      for (const entry of theme.entries) {
        lines.push(`- **${entry.ref}** ${itemText(entry.text)}`);
        lines.push(`  - Lead: ${entry.leads.join(', ')} · Status: ${statusWords(entry.status)}${entry.parts ? ` · ${entry.parts.done} of ${entry.parts.total} parts done` : ''}`);
        for (const update of entry.updates) lines.push(`  - ${update.date}: ${update.what}${update.note ? ` — ${markdownText(oneLine(update.note))}` : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The draft of a six-monthly progress report, as Markdown: per plan and theme, each item's
 * status, what changed in the period and the notes given. Pure: the caller writes or uploads it.
 */
export function buildReport(items: readonly ReportItem[], period: ReportPeriod, asOf: Date, context: DeadlineContext): string {
  return reportMarkdown(reportData(items, period, asOf, context));
}
