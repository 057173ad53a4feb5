import { assessItem, partsProgress, statusAsOf, type DeadlineContext } from './deadlines';
import type { DigestItem } from './digest';
import { RAG_OF_STATUS, STATUSES, type Status } from './statuses';
import { addMonths, dayjs, localDate, startOfMonth, type Month } from './time';

export interface ReportItem extends DigestItem {
  plan: { slug: string; title: string };
  theme: { code: string; title: string } | null;
}

export interface ReportPeriod {
  /** First and last months covered, plan-local. */
  from: Month;
  to: Month;
}

const LABEL: Record<Status, string> = {
  'not-started': 'Not started',
  'on-track': 'On track',
  'at-risk': 'At risk',
  'off-track': 'Off track',
  blocked: 'Blocked',
  done: 'Done',
};

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

/**
 * An item's text under its bullet: its own bullets ("•", "-", "*") stay a list, nested in the
 * item (with "*", so that the item's "-" lines after it are a list of their own, not more of the
 * text's); other lines continue the item's paragraph.
 */
function itemText(text: string): string {
  const [first = '', ...rest] = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return [first, ...rest.map((line) => line.replace(/^(?:[•*-]\s+(.*)|(.*))$/, (_, bullet?: string, plain?: string) => (bullet !== undefined ? `  * ${bullet}` : `  ${plain}`)))].join('\n');
}

/**
 * The draft of a six-monthly progress report, as Markdown: per plan and theme, each item's
 * status, what changed in the period and the notes given. Pure: the caller writes or uploads it.
 */
export function buildReport(items: readonly ReportItem[], period: ReportPeriod, asOf: Date, context: DeadlineContext): string {
  const start = startOfMonth(period.from, context.timeZone);
  const end = startOfMonth(addMonths(period.to, 1), context.timeZone);
  const ended = asOf >= end;
  const until = ended ? end : asOf;
  const inPeriod = (at: Date) => at >= start && at < end && at <= asOf;
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  let changes = 0;
  let overdueNow = 0;
  // At the period's end: what is overdue by then unless met (from what is known now, if it is ahead).
  let overdueAtEnd = 0;
  for (const item of items) {
    counts[statusAsOf(item, until)]++;
    changes += item.history.filter((entry) => entry.source !== 'import' && inPeriod(entry.at)).length;
    overdueNow += assessItem(item, until, context).filter((o) => o.state === 'overdue').length;
    overdueAtEnd += assessItem(item, end, context).filter((o) => o.state === 'overdue').length;
  }
  const day = (instant: Date) => dayjs(instant).tz(context.timeZone).format('D MMMM YYYY');
  const lastDay = dayjs(end).tz(context.timeZone).subtract(1, 'day').format('D MMMM YYYY');
  const overdueLines = ended
    ? [`- Deadlines overdue at the end of the period (${lastDay}): ${overdueAtEnd}`]
    : [
        `- Deadlines overdue as of ${day(asOf)}: ${overdueNow}`,
        `- Overdue at the end of the period (${lastDay}, still ahead) unless met before then: ${overdueAtEnd}`,
      ];

  const lines = [
    `# Progress report: ${monthName(period.from)} to ${monthName(period.to)} (draft)`,
    '',
    `_A draft for the Taskforce to edit, made by taskforce-bot on ${dayjs(asOf).tz(context.timeZone).format('D MMMM YYYY HH:mm')} from the status updates leads gave. Statuses are as of ${day(until)}._`,
    '',
    '## Summary',
    '',
    ...STATUSES.filter((status) => counts[status] > 0).map((status) => `- ${LABEL[status]}${RAG_OF_STATUS[status] ? ` (${RAG_OF_STATUS[status]})` : ''}: ${counts[status]}`),
    `- Status updates in the period: ${changes}`,
    ...overdueLines,
  ];

  let plan = '';
  let theme = '';
  for (const item of items) {
    if (item.plan.slug !== plan) {
      plan = item.plan.slug;
      lines.push('', `## ${item.plan.title}`);
    }
    const themeTitle = item.theme?.title ?? 'Other items';
    if (themeTitle !== theme) {
      theme = themeTitle;
      lines.push('', `### ${oneLine(themeTitle)}`, '');
    }
    const status = statusAsOf(item, until);
    const parts = partsProgress(item, until);
    const updates = item.history.filter((entry) => entry.source !== 'import' && inPeriod(entry.at));
    lines.push(`- **${item.ref}** ${itemText(item.text)}`);
    lines.push(
      `  - Lead: ${item.leads.join(', ')} · Status: **${LABEL[status]}**${RAG_OF_STATUS[status] ? ` (${RAG_OF_STATUS[status]})` : ''}${parts ? ` · ${parts.done} of ${parts.total} parts done` : ''}`,
    );
    for (const entry of updates) {
      const part = entry.deadlineId === null ? undefined : item.milestones.find((m) => m.id === entry.deadlineId);
      const what = part ? `“${part.part ?? part.words}” ${LABEL[entry.status].toLowerCase()}` : LABEL[entry.status];
      lines.push(`  - ${dayjs(entry.at).tz(context.timeZone).format('D MMM YYYY')}: ${what}${entry.note ? ` — ${oneLine(entry.note)}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
