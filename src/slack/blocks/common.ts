import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { SlackTarget } from '../../domain/commands';
import type { AssessedOccurrence } from '../../domain/deadlines';
import type { Status } from '../../domain/statuses';
import { dayjs } from '../../domain/time';

/** A reply: Block Kit for Slack, with the plain text Slack shows in notifications. */
export interface Reply {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits: 50 blocks a message, 3,000 characters a section, 150 a header, 75 a button. */
export const MAX_BLOCKS = 50;
const MAX_SECTION = 3000;

export const STATUS_LABEL: Record<Status, string> = {
  'not-started': 'Not started',
  'on-track': 'On track',
  'at-risk': 'At risk',
  'off-track': 'Off track',
  blocked: 'Blocked',
  done: 'Done',
};

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

export function actions(blockId: string, elements: Button[]): ActionsBlock {
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
  return dayjs(instant).tz(timeZone).format('D MMM YYYY HH:mm');
}

export function describeOccurrence(occurrence: AssessedOccurrence): string {
  const label = occurrence.milestone.part ? `${occurrence.milestone.part}: ` : '';
  return `${label}due ${formatDay(occurrence.dueDate)}`;
}

export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** One-line summary of item text for lists. */
export function firstLine(text: string, limit = 150): string {
  return clip(text.split('\n')[0], limit);
}

export const PAGE_SIZE = 40;

export interface PageRequest {
  command: string;
  text: string;
  page: number;
}

/**
 * Long lists are paged, never cut: the page's entries, then "page x of y" with Previous / Next
 * buttons that re-run the same command for another page.
 */
export function paginate(top: KnownBlock[], entries: KnownBlock[], request: PageRequest): KnownBlock[] {
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, request.page), pages);
  const slice = entries.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  if (pages === 1) return [...top, ...slice];
  const nav: Button[] = [];
  const value = (p: number) => JSON.stringify({ command: request.command, text: request.text, page: p });
  if (page > 1) nav.push(button('← Previous', 'page:previous', value(page - 1)));
  if (page < pages) nav.push(button('Next →', 'page:next', value(page + 1)));
  return [...top, ...slice, context(`Page ${page} of ${pages} · ${entries.length} in all`), actions('paging', nav)];
}
