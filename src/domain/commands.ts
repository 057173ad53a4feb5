import { CHART_KINDS, type ChartKind } from './charts';
import { readStatus, suggestStatus, type Status } from './statuses';
import { nearestWord } from './suggest';
import { characterCount, controlCharacter, controlCharacterMessage, echo, plainMentions, shown } from './text';
import { readQuietHours, type QuietHours } from './personal';
import { dayjs } from './time';

/**
 * The slash-command grammar, as pure parsing: text in, a command out. Nothing here knows the
 * database; references and lead names are checked by the services that carry commands out.
 * Every input, however garbled, parses to something that can be answered (at worst, help).
 */
export const SLASH_COMMANDS = ['/action', '/overdue', '/upcoming', '/lead', '/meeting', '/digest', '/report', '/away', '/reminders', '/calendar', '/chart'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

/** Longest note accepted with a status update: enough for a paragraph, short enough for a digest line. */
export const NOTE_LIMIT = 500;
export const DEFAULT_UPCOMING_DAYS = 30;
export const MAX_UPCOMING_DAYS = 366;

/** Where a command was typed: owners are mentions in Slack, Slack ids in the console. */
export type Place = 'slack' | 'console';

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
  | { kind: 'away-show' }
  /** `date` as typed (ISO, or today / tomorrow / yesterday): the service reads it in the person's zone. */
  | { kind: 'away-until'; date: string; note: string | null }
  | { kind: 'away-off' }
  | { kind: 'reminder-settings' }
  | { kind: 'reminder-frequency'; frequency: 'daily' | 'weekly' }
  | { kind: 'quiet-hours'; quiet: QuietHours | null }
  | { kind: 'calendar'; reset: boolean }
  /** A chart as of a day (the year may be left to the clock: "as of 15/05"), or as of now. */
  | { kind: 'chart'; chart: ChartKind; asOf: ChartDay | null }
  | {
      kind: 'error';
      code: 'unknown-status' | 'note-too-long' | 'control-character' | 'bad-owner' | 'bad-days' | 'bad-date' | 'bad-time' | 'bad-chart';
      message: string;
      topic: SlashCommand;
    };

export interface ChartDay {
  year: number | null;
  month: number;
  day: number;
}

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

/**
 * Why a note cannot be kept, or null: a control character, or more than NOTE_LIMIT characters as
 * people count them (an emoji is one). For the command's note and the modal's alike.
 */
export function noteProblem(note: string): string | null {
  const control = controlCharacter(note);
  if (control) return controlCharacterMessage(control);
  const length = characterCount(note, 10 * NOTE_LIMIT);
  if (length <= NOTE_LIMIT) return null;
  return `That note is ${length > 10 * NOTE_LIMIT ? `more than ${10 * NOTE_LIMIT}` : length} characters; the limit is ${NOTE_LIMIT}. Nothing was saved: shorten it and send it again.`;
}

/** What /action takes in place of a ref, for "did you mean" on a typo. */
const ACTION_WORDS = ['mine', 'list', 'help'];

/** Commands that only read: a Previous / Next button may re-run these, and nothing else. */
export function readsOnly(command: Command): boolean {
  return ['show', 'history', 'mine', 'list', 'overdue', 'upcoming', 'leads', 'meetings', 'away-show', 'reminder-settings'].includes(command.kind) || (command.kind === 'digest' && !command.post);
}

export function parseCommand(command: SlashCommand, text: string, place: Place = 'slack'): Command {
  // Whitespace is folded below; any other control character is refused before anything else.
  const control = controlCharacter(text.replace(/[\t\n\r]/g, ' '));
  if (control) return { kind: 'error', code: 'control-character', message: controlCharacterMessage(control), topic: command };
  const clean = text.replace(/\s+/g, ' ').trim();
  switch (command) {
    case '/action':
      return parseAction(clean);
    case '/overdue':
      return clean === 'help' ? help('/overdue') : { kind: 'overdue', lead: clean || null };
    case '/upcoming':
      return parseUpcoming(clean);
    case '/lead':
      return parseLead(clean, place);
    case '/meeting':
      return parseMeeting(clean);
    case '/digest':
      if (clean === '' || /^preview$/i.test(clean)) return { kind: 'digest', post: false };
      if (/^post$/i.test(clean)) return { kind: 'digest', post: true };
      return help('/digest', clean === 'help' ? null : notUnderstood('/digest', clean, ['post', 'preview']));
    case '/calendar':
      if (clean === '') return { kind: 'calendar', reset: false };
      if (/^reset$/i.test(clean)) return { kind: 'calendar', reset: true };
      return help('/calendar', clean === 'help' ? null : notUnderstood('/calendar', clean, ['reset']));
    case '/report': {
      if (clean === '') return { kind: 'report', endMonth: null };
      const month = /^(\d{4})-(04|10)$/.exec(clean);
      if (month) return { kind: 'report', endMonth: clean };
      return help('/report', clean === 'help' ? null : `${echo(clean, 20)} isn't a report period: give the month it ends, April or October, e.g. \`/report 2017-04\`.`);
    }
    case '/away':
      return parseAway(clean);
    case '/reminders':
      return parseReminders(clean);
    case '/chart':
      return parseChart(clean);
  }
}

/** `/away`, `/away until 2017-06-05 [note]` (or without "until"), `/away off`. */
function parseAway(text: string): Command {
  const [first = '', ...rest] = words(text);
  const keyword = first.toLowerCase();
  if (text === '') return { kind: 'away-show' };
  if (keyword === 'help') return help('/away');
  if (['off', 'back', 'none'].includes(keyword) && rest.length === 0) return { kind: 'away-off' };
  const [date = '', ...noteWords] = keyword === 'until' ? rest : [first, ...rest];
  if (date === '') return { kind: 'error', code: 'bad-date', message: 'Until when? Give the day you are back, e.g. `/away until 2017-06-05 at a conference`. Nothing was changed.', topic: '/away' };
  if (!/^[\d./-]+$/.test(date) && !/^(today|tomorrow|yesterday)$/i.test(date)) {
    return help('/away', notUnderstood('/away', text, ['until', 'off']));
  }
  const note = plainMentions(noteWords.join(' '));
  const problem = noteProblem(note);
  if (problem) return { kind: 'error', code: 'note-too-long', message: problem, topic: '/away' };
  return { kind: 'away-until', date, note: note || null };
}

/** `/reminders`, `/reminders daily | weekly`, `/reminders quiet 18:00-08:00 | off`. */
function parseReminders(text: string): Command {
  const [first = '', ...rest] = words(text);
  const keyword = first.toLowerCase();
  if (text === '') return { kind: 'reminder-settings' };
  if (keyword === 'help') return help('/reminders');
  if ((keyword === 'daily' || keyword === 'weekly') && rest.length === 0) return { kind: 'reminder-frequency', frequency: keyword };
  if (keyword === 'quiet') {
    const span = rest.join(' ');
    if (/^(off|none)$/i.test(span)) return { kind: 'quiet-hours', quiet: null };
    const read = readQuietHours(span);
    if ('problem' in read) return { kind: 'error', code: 'bad-time', message: `${read.problem} Nothing was changed.`, topic: '/reminders' };
    return { kind: 'quiet-hours', quiet: read.quiet };
  }
  return help('/reminders', notUnderstood('/reminders', text, ['daily', 'weekly', 'quiet']));
}

function help(topic: SlashCommand, problem: string | null = null): Command {
  return { kind: 'help', topic, problem };
}

/** "I didn't understand …", or, when the first word is a typo of a sub-command, what was meant. */
function notUnderstood(command: SlashCommand, text: string, subcommands: readonly string[]): string {
  const [first = ''] = words(text);
  const meant = nearestWord(first, subcommands);
  return meant ? `There is no \`${command} ${shown(first, 20)}\`. Did you mean \`${command} ${meant}\`?` : `I didn't understand ${echo(text, 60)}.`;
}

function parseAction(text: string): Command {
  const [first = '', ...rest] = words(text);
  const keyword = first.toLowerCase();
  if (text === '' || keyword === 'help') return help('/action');
  if (keyword === 'mine' && rest.length === 0) return { kind: 'mine' };
  if (keyword === 'list') return { kind: 'list', filter: rest.join(' ') || null };
  if (!looksLikeRef(first)) return help('/action', notUnderstood('/action', text, ACTION_WORDS));

  const ref = first;
  if (rest.length === 0) return { kind: 'show', ref };
  if (rest.length === 1 && rest[0].toLowerCase() === 'history') return { kind: 'history', ref };
  if (rest.length === 2 && rest[0].toLowerCase() === 'reminders' && /^(on|off)$/i.test(rest[1])) {
    return { kind: 'reminders', ref, on: rest[1].toLowerCase() === 'on' };
  }
  const read = readStatus(rest);
  if (!read) return { kind: 'error', code: 'unknown-status', message: unknownStatus(ref, rest), topic: '/action' };
  const remainder = plainMentions(rest.slice(read.consumed).join(' ').replace(/^[-–—:,]\s*/, ''));
  const problem = noteProblem(remainder);
  if (problem) return { kind: 'error', code: 'note-too-long', message: problem, topic: '/action' };
  return { kind: 'update', ref, status: read.status, rest: remainder };
}

/** After a ref, a word that is neither a status nor a sub-command: the nearest of either, or the list. */
function unknownStatus(ref: string, rest: readonly string[]): string {
  const [word, next = ''] = rest;
  const onOff = /^(on|off)$/i.test(next) ? next.toLowerCase() : null;
  const sub = nearestWord(word, ['history', 'reminders']);
  if (sub === 'history' && rest.length === 1) return `There is no \`/action ${ref} ${shown(word, 20)}\`. Did you mean \`/action ${ref} history\`?`;
  if (sub === 'reminders' && (onOff || rest.length === 1)) {
    return `There is no \`/action ${ref} ${shown(word, 20)}\`. Did you mean \`/action ${ref} reminders ${onOff ?? 'off'}\`${onOff ? '' : ' (or `on`)'}? Nothing was changed.`;
  }
  const status = suggestStatus(rest);
  if (status) return `${echo(word, 40)} isn't a status. Did you mean ${status}? Nothing was saved.`;
  return `${echo(word, 40)} isn't a status. Use one of: on-track, at-risk, off-track, blocked, done (green, amber and red work too), then an optional note.`;
}

function parseUpcoming(text: string): Command {
  if (text === '') return { kind: 'upcoming', days: DEFAULT_UPCOMING_DAYS };
  if (text === 'help') return help('/upcoming');
  const match = /^(\d+)(?:\s*d(?:ays?)?)?$/i.exec(text);
  const days = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_UPCOMING_DAYS) {
    return { kind: 'error', code: 'bad-days', message: `${echo(text, 40)} isn't a number of days. Try \`/upcoming 14\` (1 to ${MAX_UPCOMING_DAYS}; ${DEFAULT_UPCOMING_DAYS} if you leave it out).`, topic: '/upcoming' };
  }
  return { kind: 'upcoming', days };
}

/**
 * The ways to write an owner: as Slack sends a mention (manifest `should_escape: true`), or as a
 * Slack id typed by hand, as the console needs (it has no one to ask who "@ann" is). An id has a
 * digit in it, so a name in capitals (@SAM) is not taken for one.
 */
const OWNER_FORMS: [RegExp, SlackTarget['kind']][] = [
  [/^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/, 'user'],
  [/^<#(C[A-Z0-9]+)(?:\|[^>]*)?>$/, 'channel'],
  [/^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$/, 'usergroup'],
  [/^@([UW](?=[A-Z]*\d)[A-Z0-9]{2,})$/, 'user'],
  [/^@(S(?=[A-Z]*\d)[A-Z0-9]{2,})$/, 'usergroup'],
  [/^#(C(?=[A-Z]*\d)[A-Z0-9]{2,})$/, 'channel'],
];

function readOwner(word: string): SlackTarget | null {
  for (const [pattern, kind] of OWNER_FORMS) {
    const match = pattern.exec(word);
    if (match) return { kind, slackId: match[1] };
  }
  return null;
}

/** How to name owners, where the person is typing. */
function ownerForms(place: Place): string {
  return place === 'console'
    ? 'In the console, give Slack ids: `@U0123ABCD` for a person, `@S0123ABCD` for a user group, `#C0123ABCD` for a channel, e.g. `/lead Arts Council England @U0123ABCD @U0456EFGH`.'
    : 'Type @ and pick each person or user group from Slack\'s list (or # for a channel) so that it becomes a mention, e.g. `/lead Arts Council England @ann @bob`.';
}

function parseLead(text: string, place: Place): Command {
  if (text === '') return { kind: 'leads' };
  if (text === 'help') return help('/lead');
  // Mentions are one word even when Slack's label has spaces in it; a "<" that opens none is a word too.
  const parts = text.match(/<[^>]*>|[^\s<]+|</g) ?? [];
  const first = parts.findIndex((part) => /^[<@#]/.test(part));
  if (first < 0) {
    const last = parts[parts.length - 1].toLowerCase();
    const name = parts.slice(0, -1).join(' ');
    if (name && (last === 'clear' || last === 'none')) return { kind: 'clear-lead', lead: name };
    if (name && nearestWord(last, ['clear'])) return help('/lead', `Did you mean \`/lead ${shown(name, 60)} clear\`? Nothing was changed.`);
    return help('/lead', `Name the lead, then its owners. ${ownerForms(place)}`);
  }
  const lead = parts.slice(0, first).join(' ');
  if (lead === '') return help('/lead', `Put the lead's name first, then its owners. ${ownerForms(place)}`);
  const owners: SlackTarget[] = [];
  for (const part of parts.slice(first)) {
    const owner = readOwner(part);
    if (!owner) {
      const why = place === 'console' ? `The console can't tell who ${echo(part, 40)} is.` : `${echo(part, 40)} isn't a mention Slack recognised.`;
      return { kind: 'error', code: 'bad-owner', message: `${why} ${ownerForms(place)} Nothing was changed.`, topic: '/lead' };
    }
    owners.push(owner);
  }
  return { kind: 'map-lead', lead, owners };
}

function parseMeeting(text: string): Command {
  const [first = '', ...rest] = words(text);
  const keyword = first.toLowerCase();
  if (text === '') return { kind: 'meetings' };
  if (keyword === 'help') return help('/meeting');
  if (keyword !== 'add' && keyword !== 'cancel') return help('/meeting', notUnderstood('/meeting', text, ['add', 'cancel']));
  const [date = '', time = '', ...noteWords] = rest;
  if (!DATE_PATTERN.test(date) || !dayjs(date, 'YYYY-MM-DD', true).isValid()) {
    return { kind: 'error', code: 'bad-date', message: `${date ? echo(date, 20) : 'Nothing'} isn't a date. Write it as YYYY-MM-DD, e.g. \`/meeting ${keyword} 2017-05-26${keyword === 'add' ? ' 14:00' : ''}\`.`, topic: '/meeting' };
  }
  const timeMatch = TIME_PATTERN.exec(time);
  if (keyword === 'cancel') {
    if (time === '') return { kind: 'cancel-meeting', date, time: null };
    if (!timeMatch || noteWords.length > 0) return { kind: 'error', code: 'bad-time', message: `${echo(rest.slice(1).join(' '), 20)} isn't a time. Write it as HH:MM, e.g. \`/meeting cancel ${date} 14:00\`.`, topic: '/meeting' };
    return { kind: 'cancel-meeting', date, time: `${timeMatch[1].padStart(2, '0')}:${timeMatch[2]}` };
  }
  if (!timeMatch) {
    return { kind: 'error', code: 'bad-time', message: `${time ? echo(time, 20) : 'Nothing'} isn't a time. Write it as HH:MM after the date, e.g. \`/meeting add ${date} 14:00 Quarterly review\`.`, topic: '/meeting' };
  }
  const note = plainMentions(noteWords.join(' '));
  const problem = noteProblem(note);
  if (problem) return { kind: 'error', code: 'note-too-long', message: problem, topic: '/meeting' };
  return { kind: 'add-meeting', date, time: `${timeMatch[1].padStart(2, '0')}:${timeMatch[2]}`, note: note || null };
}

const CHART_WORDS: Record<string, ChartKind> = { status: 'status', statuses: 'status', themes: 'themes', theme: 'themes', overdue: 'overdue' };
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function badChartDate(typed: string | null, why: string): Command {
  return { kind: 'error', code: 'bad-date', message: `${typed === null ? 'There is no date' : `${echo(typed, 30)} isn't a date`}${why}. Write it as \`2018-05-01\`, \`1/5/2018\` or \`1 May 2018\`, e.g. \`/chart themes as of 1 May 2018\`.`, topic: '/chart' };
}

/** A day as people write it: 2018-05-01, 1/5/2018, 1/5 (this year), 1 May 2018. */
function readChartDay(text: string): ChartDay | Command {
  let parts: [number, number, number | null] | null = null;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) parts = [Number(match[3]), Number(match[2]), Number(match[1])];
  match = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?$/.exec(text);
  if (match) parts = [Number(match[1]), Number(match[2]), match[3] ? Number(match[3]) : null];
  match = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)(?: (\d{4}))?$/i.exec(text);
  if (match) {
    const month = MONTH_NAMES.findIndex((name) => name === match![2].toLowerCase() || (match![2].length >= 3 && name.startsWith(match![2].toLowerCase())));
    if (month < 0) return badChartDate(text, `: there is no month called ${echo(match[2], 20)}`);
    parts = [Number(match[1]), month + 1, match[3] ? Number(match[3]) : null];
  }
  if (!parts) return badChartDate(text, '');
  const [day, month, year] = parts;
  if (month < 1 || month > 12) return badChartDate(text, ': a year has 12 months');
  // With no year, 29 February might be (the service checks it against the year it takes).
  const days = year === null && month === 2 ? 29 : dayjs(`${year ?? 2000}-${String(month).padStart(2, '0')}-01`).daysInMonth();
  if (day < 1 || day > days) return badChartDate(text, `: ${dayjs(`2000-${String(month).padStart(2, '0')}-01`).format('MMMM')}${year === null ? '' : ` ${year}`} has ${days} days`);
  return { year, month, day };
}

/** `/chart [status|themes|overdue] [as of <date>]`. */
function parseChart(text: string): Command {
  if (text === 'help') return help('/chart');
  const [first = ''] = words(text);
  const kind = CHART_WORDS[first.toLowerCase()];
  const startsWithDate = /^(as|on|at|for)$/i.test(first) || /\d/.test(first);
  if (first && !kind && !startsWithDate) {
    const meant = nearestWord(first.toLowerCase(), Object.keys(CHART_WORDS));
    const choose = `Choose one of ${CHART_KINDS.map((name) => `\`${name}\``).join(', ')}, then if you like \`as of\` a date, e.g. \`/chart themes as of 1 May 2018\`.`;
    return { kind: 'error', code: 'bad-chart', message: `${echo(first, 20)} isn't a chart${meant ? ` — did you mean \`${CHART_WORDS[meant]}\`?` : '.'} ${choose}`, topic: '/chart' };
  }
  const rest = kind ? text.slice(first.length).trim() : text;
  const dateText = rest.replace(/^(as of|as at|on|at|for)(\s+|$)/i, '');
  if (rest !== '' && dateText === '') return badChartDate(null, ` after ${echo(rest, 10)}`);
  if (dateText === '') return { kind: 'chart', chart: kind ?? 'status', asOf: null };
  const day = readChartDay(dateText);
  return 'kind' in day ? day : { kind: 'chart', chart: kind ?? 'status', asOf: day };
}
