import { assessItem, partsProgress, statusAsOf, type DeadlineContext } from '../domain/deadlines';
import { RAG_OF_STATUS } from '../domain/statuses';
import type { PlanItemRecord } from '../store/tracked-items';

/**
 * The plan as open data: every item with its current status and deadlines, as of a moment.
 * Pure: the CLI (src/cli/export.ts) loads the records and writes the result.
 */
export interface OpenDataItem {
  plan: string;
  theme: string | null;
  ref: string;
  kind: string;
  text: string;
  ambitionSection: string | null;
  leads: string[];
  leadWords: string | null;
  deadlineWords: string | null;
  status: string;
  /** For items of several one-off parts: how many are done, of how many; null otherwise. */
  partsDone: number | null;
  partsTotal: number | null;
  rag: string | null;
  statusSetAt: string;
  statusNote: string | null;
  priority: boolean;
  comments: string | null;
  waitsOn: string[];
  nextDue: string | null;
  overdueSince: string | null;
  deadlines: {
    words: string;
    part: string | null;
    rule: string;
    occurrences: { due: string; state: string }[];
  }[];
}

export interface OpenData {
  asOf: string;
  timeZone: string;
  items: OpenDataItem[];
}

export function buildOpenData(items: readonly PlanItemRecord[], asOf: Date, context: DeadlineContext): OpenData {
  return {
    asOf: asOf.toISOString(),
    timeZone: context.timeZone,
    items: items.map((item): OpenDataItem => {
      const occurrences = assessItem(item, asOf, context);
      const status = statusAsOf(item, asOf);
      const parts = partsProgress(item, asOf);
      const latest = [...item.history].reverse().find((entry) => entry.deadlineId === null && entry.at <= asOf);
      return {
        plan: item.plan.slug,
        theme: item.theme?.title ?? null,
        ref: item.ref,
        kind: item.kind,
        text: item.text,
        ambitionSection: item.section,
        leads: [...item.leads],
        leadWords: item.leadText,
        deadlineWords: item.deadlineText,
        status,
        partsDone: parts?.done ?? null,
        partsTotal: parts?.total ?? null,
        rag: RAG_OF_STATUS[status],
        statusSetAt: latest ? latest.at.toISOString() : '',
        statusNote: latest?.note ?? null,
        priority: item.priority,
        comments: item.comments,
        waitsOn: item.waitsOn.map((link) => link.ref),
        nextDue: occurrences.find((occurrence) => occurrence.state === 'upcoming')?.dueDate ?? null,
        overdueSince: occurrences.find((occurrence) => occurrence.state === 'overdue')?.dueDate ?? null,
        deadlines: item.milestones.map((milestone) => ({
          words: milestone.words,
          part: milestone.part,
          rule: milestone.rule.kind,
          occurrences: occurrences
            .filter((occurrence) => occurrence.milestone.id === milestone.id)
            .map((occurrence) => ({ due: occurrence.dueDate, state: occurrence.state })),
        })),
      };
    }),
  };
}

const CSV_COLUMNS: [string, (item: OpenDataItem) => string | null][] = [
  ['plan', (item) => item.plan],
  ['theme', (item) => item.theme],
  ['ref', (item) => item.ref],
  ['kind', (item) => item.kind],
  ['text', (item) => item.text],
  ['ambition_section', (item) => item.ambitionSection],
  ['leads', (item) => item.leads.join('; ')],
  ['lead_words', (item) => item.leadWords],
  ['deadline_words', (item) => item.deadlineWords],
  ['status', (item) => item.status],
  ['parts_done', (item) => (item.partsDone === null ? null : String(item.partsDone))],
  ['parts_total', (item) => (item.partsTotal === null ? null : String(item.partsTotal))],
  ['rag', (item) => item.rag],
  ['status_set_at', (item) => item.statusSetAt],
  ['status_note', (item) => item.statusNote],
  ['next_due', (item) => item.nextDue],
  ['overdue_since', (item) => item.overdueSince],
  ['priority', (item) => (item.priority ? 'yes' : 'no')],
  ['waits_on', (item) => item.waitsOn.join('; ')],
  ['comments', (item) => item.comments],
];

function csvField(value: string | null): string {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV, one row per item, CRLF line ends. */
export function toCsv(data: OpenData): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const item of data.items) lines.push(CSV_COLUMNS.map(([, read]) => csvField(read(item))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(data: OpenData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
