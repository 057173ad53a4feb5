import { readStatus, type Status } from './statuses';
import { dayjs } from './time';

/**
 * The slash-command grammar, as pure parsing: text in, a command out. Nothing here knows the
 * database; references and lead names are checked by the services that carry commands out.
 * Every input, however garbled, parses to something that can be answered (at worst, help).
 */
export const SLASH_COMMANDS = ['/action', '/overdue', '/upcoming', '/lead', '/meeting', '/digest', '/report'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

/** Longest note accepted with a status update: enough for a paragraph, short enough for a digest line. */
export const NOTE_LIMIT = 500;
export const DEFAULT_UPCOMING_DAYS = 30;
export const MAX_UPCOMING_DAYS = 366;

export type SlackTarget =
  | { kind: 'user'; slackId: string }
  | { kind: 'usergroup'; slackId: string }
  | { kind: 'channel'; slackId: string };

export type Command =
  | { kind: 'help'; topic: SlashCommand; problem: string | null }
  | { kind: 'show'; ref: string }
  | { kind: 'history'; ref: string }
  | { kind: 'reminders'; ref: string; on: boolean }
  | { kind: 'update'; ref: string; status: Status; rest: string }
  | { kind: 'mine' }
  | { kind: 'list'; filter: string | null }
  | { kind: 'overdue'; lead: string | null }
  | { kind: 'upcoming'; days: number }
  | { kind: 'leads' }
  | { kind: 'map-lead'; lead: string; owners: SlackTarget[] }
  | { kind: 'clear-lead'; lead: string }
  | { kind: 'meetings' }
  | { kind: 'add-meeting'; date: string; time: string; note: string | null }
  | { kind: 'cancel-meeting'; date: string; time: string | null }
  | { kind: 'digest'; post: boolean }
  | { kind: 'report'; endMonth: string | null }
  | { kind: 'error'; code: 'unknown-status' | 'note-too-long' | 'bad-days' | 'bad-date' | 'bad-time'; message: string; topic: SlashCommand };

/** References look like 12, 1b, CG3, LG10, W1-18a. */
const REF_PATTERN = /^(?:\d{1,3}[a-z]?|[a-z]{1,3}\d{1,3}(?:-\d{1,2}[a-z])?)$/i;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const TIME_PATTERN = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

export function looksLikeRef(word: string): boolean {
  return REF_PATTERN.test(word);
}

function words(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

export function parseCommand(command: SlashCommand, text: string): Command {
  const clean = text.replace(/\s+/g, ' ').trim();
  switch (command) {
    case '/action':
      return parseAction(clean);
    case '/overdue':
      return clean === 'help' ? help('/overdue') : { kind: 'overdue', lead: clean || null };
    case '/upcoming':
      return parseUpcoming(clean);
    case '/lead':
      return parseLead(clean);
    case '/meeting':
      return parseMeeting(clean);
    case '/digest':
      if (clean === '' || /^preview$/i.test(clean)) return { kind: 'digest', post: false };
      if (/^post$/i.test(clean)) return { kind: 'digest', post: true };
      return help('/digest', clean === 'help' ? null : `I didn't understand "${truncate(clean, 60)}".`);
    case '/report': {
      if (clean === '') return { kind: 'report', endMonth: null };
      const month = /^(\d{4})-(04|10)$/.exec(clean);
      if (month) return { kind: 'report', endMonth: clean };
      return help('/report', clean === 'help' ? null : `"${truncate(clean, 20)}" isn't a report period: give the month it ends, April or October, e.g. \`/report 2017-04\`.`);
    }
  }
}

function help(topic: SlashCommand, problem: string | null = null): Command {
  return { kind: 'help', topic, problem };
}

function parseAction(text: string): Command {
  const [first = '', ...rest] = words(text);
  const keyword = first.toLowerCase();
  if (text === '' || keyword === 'help') return help('/action');
  if (keyword === 'mine' && rest.length === 0) return { kind: 'mine' };
  if (keyword === 'list') return { kind: 'list', filter: rest.join(' ') || null };
  if (!looksLikeRef(first)) return help('/action', `I didn't understand "${truncate(text, 60)}".`);

  const ref = first;
  if (rest.length === 0) return { kind: 'show', ref };
  if (rest.length === 1 && rest[0].toLowerCase() === 'history') return { kind: 'history', ref };
  if (rest.length === 2 && rest[0].toLowerCase() === 'reminders' && /^(on|off)$/i.test(rest[1])) {
    return { kind: 'reminders', ref, on: rest[1].toLowerCase() === 'on' };
  }
  const read = readStatus(rest);
  if (!read) {
    return {
      kind: 'error',
      code: 'unknown-status',
      message: `"${truncate(rest[0], 40)}" isn't a status. Use one of: on-track, at-risk, off-track, blocked, done (green, amber and red work too), then an optional note.`,
      topic: '/action',
    };
  }
  const remainder = rest.slice(read.consumed).join(' ').replace(/^[-–—:,]\s*/, '');
  if (remainder.length > NOTE_LIMIT) {
    return {
      kind: 'error',
      code: 'note-too-long',
      message: `That note is ${remainder.length} characters; the limit is ${NOTE_LIMIT}. Nothing was saved: shorten it and send it again.`,
      topic: '/action',
    };
  }
  return { kind: 'update', ref, status: read.status, rest: remainder };
}

function parseUpcoming(text: string): Command {
  if (text === '') return { kind: 'upcoming', days: DEFAULT_UPCOMING_DAYS };
  if (text === 'help') return help('/upcoming');
  const match = /^(\d+)(?:\s*d(?:ays?)?)?$/i.exec(text);
  const days = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_UPCOMING_DAYS) {
    return { kind: 'error', code: 'bad-days', message: `"${truncate(text, 40)}" isn't a number of days. Try \`/upcoming 14\` (1 to ${MAX_UPCOMING_DAYS}; ${DEFAULT_UPCOMING_DAYS} if you leave it out).`, topic: '/upcoming' };
  }
  return { kind: 'upcoming', days };
}

/** Slack sends mentions escaped (manifest `should_escape: true`): <@U123|ann>, <#C123|general>, <!subteam^S123|@group>. */
const MENTION_PATTERN = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|<#(C[A-Z0-9]+)(?:\|[^>]*)?>|<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>/g;

function parseLead(text: string): Command {
  if (text === '') return { kind: 'leads' };
  if (text === 'help') return help('/lead');
  const owners: SlackTarget[] = [];
  for (const match of text.matchAll(MENTION_PATTERN)) {
    if (match[1]) owners.push({ kind: 'user', slackId: match[1] });
    else if (match[2]) owners.push({ kind: 'channel', slackId: match[2] });
    else owners.push({ kind: 'usergroup', slackId: match[3] });
  }
  const firstMention = text.search(/<[@#!]/);
  const lead = (firstMention < 0 ? text : text.slice(0, firstMention)).trim();
  const after = firstMention < 0 ? '' : text.slice(firstMention).replace(MENTION_PATTERN, '').trim();
  if (owners.length === 0) {
    const clear = /^(.+?)\s+(?:clear|none)$/i.exec(text);
    if (clear) return { kind: 'clear-lead', lead: clear[1].trim() };
    return help('/lead', `To map a lead, name it and mention its owners: \`/lead ${truncate(text, 40)} @someone\`.`);
  }
  if (lead === '' || after !== '') return help('/lead', 'Put the lead\'s name first, then only mentions of people, a user group or a channel.');
  return { kind: 'map-lead', lead, owners };
}

function parseMeeting(text: string): Command {
  const [first = '', ...rest] = words(text);
  const keyword = first.toLowerCase();
  if (text === '') return { kind: 'meetings' };
  if (keyword === 'help') return help('/meeting');
  if (keyword !== 'add' && keyword !== 'cancel') return help('/meeting', `I didn't understand "${truncate(text, 60)}".`);
  const [date = '', time = '', ...noteWords] = rest;
  if (!DATE_PATTERN.test(date) || !dayjs(date, 'YYYY-MM-DD', true).isValid()) {
    return { kind: 'error', code: 'bad-date', message: `"${truncate(date || '(nothing)', 20)}" isn't a date. Write it as YYYY-MM-DD, e.g. \`/meeting ${keyword} 2017-05-26${keyword === 'add' ? ' 14:00' : ''}\`.`, topic: '/meeting' };
  }
  const timeMatch = TIME_PATTERN.exec(time);
  if (keyword === 'cancel') {
    if (time === '') return { kind: 'cancel-meeting', date, time: null };
    if (!timeMatch || noteWords.length > 0) return { kind: 'error', code: 'bad-time', message: `"${truncate(rest.slice(1).join(' '), 20)}" isn't a time. Write it as HH:MM, e.g. \`/meeting cancel ${date} 14:00\`.`, topic: '/meeting' };
    return { kind: 'cancel-meeting', date, time: `${timeMatch[1].padStart(2, '0')}:${timeMatch[2]}` };
  }
  if (!timeMatch) {
    return { kind: 'error', code: 'bad-time', message: `"${truncate(time || '(nothing)', 20)}" isn't a time. Write it as HH:MM after the date, e.g. \`/meeting add ${date} 14:00 Quarterly review\`.`, topic: '/meeting' };
  }
  const note = noteWords.join(' ');
  if (note.length > NOTE_LIMIT) {
    return { kind: 'error', code: 'note-too-long', message: `That note is ${note.length} characters; the limit is ${NOTE_LIMIT}.`, topic: '/meeting' };
  }
  return { kind: 'add-meeting', date, time: `${timeMatch[1].padStart(2, '0')}:${timeMatch[2]}`, note: note || null };
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
