import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, Overflow, SectionBlock } from '@slack/types';
import type { SlackTarget } from '../../domain/commands';
import type { AssessedOccurrence } from '../../domain/deadlines';
import { STATUS_LABEL, type Status } from '../../domain/statuses';
import { dayjs, instantWords } from '../../domain/time';

/** A reply: Block Kit for Slack, with the plain text Slack shows in notifications. */
export interface Reply {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits: 50 blocks a message, 3,000 characters a section, 150 a header, 75 a button. */
export const MAX_BLOCKS = 50;
export const MAX_SECTION = 3000;
/** Slack refuses a message whose blocks hold more text than about 12,000 characters; keep a margin. */
export const MESSAGE_TEXT_BUDGET = 11_000;

export const STATUS_EMOJI: Record<Status, string> = {
  'not-started': ':white_circle:',
  'on-track': ':large_green_circle:',
  'at-risk': ':large_orange_circle:',
  'off-track': ':red_circle:',
  blocked: ':no_entry:',
  done: ':white_check_mark:',
};

export function statusBadge(status: Status): string {
  return `${STATUS_EMOJI[status]} ${STATUS_LABEL[status]}`;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters: once, on the way out (text is stored as typed). */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text shown on one line (a history line, an announcement): its line breaks folded into spaces, so a note cannot start a line of its own. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * Cuts text into pieces of at most `limit` characters, at a line break or a space where it can,
 * never inside an entity (&amp;) or a mention (<@U…>).
 */
export function splitText(text: string, limit: number = MAX_SECTION): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    const open = Math.max(rest.lastIndexOf('&', cut), rest.lastIndexOf('<', cut));
    if (open > Math.max(rest.lastIndexOf(';', cut), rest.lastIndexOf('>', cut)) && open > 0) cut = open;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  pieces.push(rest);
  return pieces;
}

/** Lines as sections: as many lines to a section as fit, a title on the first; nothing cut. */
export function sectionsOf(lines: readonly string[], title?: string): SectionBlock[] {
  const texts: string[] = [];
  let current = title ?? '';
  for (const line of lines) {
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length <= MAX_SECTION) {
      current = joined;
      continue;
    }
    if (current) texts.push(current);
    const pieces = splitText(line);
    texts.push(...pieces.slice(0, -1));
    current = pieces[pieces.length - 1];
  }
  if (current) texts.push(current);
  return texts.map((text) => section(text));
}

/** The characters of text in blocks, as Slack counts them against a message's limit. */
export function blockTextLength(blocks: readonly unknown[]): number {
  let total = 0;
  const visit = (value: unknown, key?: string) => {
    if (typeof value === 'string') {
      if (key === 'text') total += value.length;
    } else if (Array.isArray(value)) value.forEach((entry) => visit(entry));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(blocks);
  return total;
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, 150), emoji: true } };
}

export function section(text: string, accessory?: Button): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, MAX_SECTION) }, ...(accessory ? { accessory } : {}) };
}

export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, MAX_SECTION) })) };
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: { type: 'plain_text', text: clip(text, 75), emoji: true }, action_id: actionId, value, ...(style ? { style } : {}) };
}

export function actions(blockId: string, elements: (Button | Overflow)[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, 25) };
}

export function mention(target: SlackTarget): string {
  switch (target.kind) {
    case 'user':
      return `<@${target.slackId}>`;
    case 'channel':
      return `<#${target.slackId}>`;
    case 'usergroup':
      return `<!subteam^${target.slackId}>`;
  }
}

/** "30 Apr 2017", or "26 May 2017 14:00" for a meeting. */
export function formatDay(date: string): string {
  return dayjs(date).format('D MMM YYYY');
}

export function formatInstant(instant: Date, timeZone: string): string {
  return instantWords(instant, timeZone);
}

export function describeOccurrence(occurrence: AssessedOccurrence): string {
  const label = occurrence.milestone.part ? `${occurrence.milestone.part}: ` : '';
  return `${label}due ${formatDay(occurrence.dueDate)}`;
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** "1 of 2 parts done". */
export function partsWords(parts: { done: number; total: number }): string {
  return `${parts.done} of ${parts.total} parts done`;
}

/** A deadline as a line names it: its part, when the item has parts, and its due date. */
export function dueWords(occurrence: AssessedOccurrence, daysLate: number | null): string {
  const part = occurrence.milestone.part ? ` (${escape(occurrence.milestone.part)})` : '';
  const when = daysLate === null ? `due ${formatDay(occurrence.dueDate)}` : `${plural(daysLate, 'day')} late (due ${formatDay(occurrence.dueDate)})`;
  return `${part} — ${when}`;
}

export const PAGE_SIZE = 40;

export interface PageRequest {
  command: string;
  text: string;
  page: number;
}

/** Splits entries into pages that each fit a message beside `top`: by blocks and by text. */
function pagesOf(top: readonly KnownBlock[], entries: readonly KnownBlock[]): KnownBlock[][] {
  const room = MAX_BLOCKS - top.length - 2; // the page line and the buttons
  const textRoom = MESSAGE_TEXT_BUDGET - blockTextLength(top) - 200;
  const pages: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  let text = 0;
  for (const entry of entries) {
    const length = blockTextLength([entry]);
    if (current.length > 0 && (current.length === Math.min(room, PAGE_SIZE) || text + length > textRoom)) {
      pages.push(current);
      current = [];
      text = 0;
    }
    current.push(entry);
    text += length;
  }
  pages.push(current);
  return pages;
}

/**
 * Long lists are paged, never cut: the page's entries, then "page x of y" with Previous / Next
 * buttons that re-run the same command for another page. A page ends where Slack's limits would.
 */
export function paginate(
  top: KnownBlock[],
  entries: KnownBlock[],
  request: PageRequest,
  options: { bottom?: KnownBlock[]; total?: string } = {},
): KnownBlock[] {
  const bottom = options.bottom ?? [];
  const pages = pagesOf([...top, ...bottom], entries);
  const page = Math.min(Math.max(1, request.page), pages.length);
  const slice = pages[page - 1];
  if (pages.length === 1) return [...top, ...slice, ...bottom];
  return [...top, ...slice, context(`Page ${page} of ${pages.length} · ${options.total ?? entries.length} in all`), pageButtons(request, page, pages.length), ...bottom];
}

/** Previous / Next: buttons that re-run the same command for the page before or after this one. */
export function pageButtons(request: PageRequest, page: number, pages: number): ActionsBlock {
  const value = (p: number) => JSON.stringify({ command: request.command, text: request.text, page: p });
  const nav: Button[] = [];
  if (page > 1) nav.push(button('← Previous', 'page:previous', value(page - 1)));
  if (page < pages) nav.push(button('Next →', 'page:next', value(page + 1)));
  return actions('paging', nav);
}
