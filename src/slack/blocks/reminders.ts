import type { ActionsBlock, KnownBlock, Overflow } from '@slack/types';
import { isReminderVerb, type ReminderAnswer, type ReminderVerb } from '../../taskforce/reminders';
import { URGENCIES, type AwayNote, type ReminderLine, type ReminderNotice, type Urgency } from '../../domain/notices';
import { actions, blockTextLength, button, context, escape, formatDay, formatInstant, MAX_BLOCKS, MESSAGE_TEXT_BUDGET, plural, section, statusBadge, type Reply } from './common';
import { STATUS_LABEL } from '../../domain/statuses';

/** A reminder's buttons: `reminder:<verb>:<line>`; the value names the item and the deadline part. */
export const REMINDER_ACTION_PREFIX = 'reminder:';

/** What a reminder button carries. Whom the reminder was for is never taken from it: see listeners/reminders.ts. */
export interface ReminderButtonValue {
  ref: string;
  deadlineId: number;
  verb?: ReminderVerb;
}

export function readReminderAction(actionId: string, value: string | undefined): (ReminderButtonValue & { verb: ReminderVerb; line: number }) | null {
  const match = /^reminder:([a-z0-9-]+):(\d+)$/.exec(actionId);
  if (!match) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    return null;
  }
  const { ref, deadlineId, verb } = (parsed ?? {}) as Partial<ReminderButtonValue>;
  const chosen = match[1] === 'menu' ? verb : match[1];
  if (typeof ref !== 'string' || typeof deadlineId !== 'number' || !isReminderVerb(chosen)) return null;
  return { ref, deadlineId, verb: chosen, line: Number(match[2]) };
}

export const URGENCY_HEADING: Record<Urgency, string> = {
  overdue: ':warning: *Overdue*',
  today: ':alarm_clock: *Due today*',
  'this-week': ':calendar: *Due this week*',
  'coming-up': ':spiral_calendar_pad: *Coming up*',
};

const URGENCY_WORDS: Record<Urgency, string> = { overdue: 'overdue', today: 'due today', 'this-week': 'due this week', 'coming-up': 'coming up' };

/** "15 days overdue (due 30 Apr 2017)", "due today (28 Apr 2017)", "due in 7 days (5 May 2017)". */
export function whenDue(line: Pick<ReminderLine, 'daysToDue' | 'dueDate'>): string {
  const due = formatDay(line.dueDate);
  if (line.daysToDue < 0) return `${plural(-line.daysToDue, 'day')} overdue (due ${due})`;
  if (line.daysToDue === 0) return `due today (${due})`;
  if (line.daysToDue === 1) return `due tomorrow (${due})`;
  return `due in ${line.daysToDue} days (${due})`;
}

/** The words of one line: the item, the deadline part, when, its status. */
export function reminderLineText(line: ReminderLine, withLead: boolean): string {
  // A part by its label; an unlabelled one of several (action 2's "March 2017") by its words.
  const part = line.part ? ` · part “${escape(line.part)}”` : line.parts ? ` · deadline “${escape(line.deadlineWords)}”` : '';
  const progress = line.parts ? ` · ${line.parts.done} of ${line.parts.total} parts done` : '';
  const lead = withLead ? ` · ${escape(line.unmappedLead ?? line.leads.join(', '))}` : '';
  return `*${escape(line.ref)}* ${escape(line.title)}\n${whenDue(line)}${part} · ${statusBadge(line.status)}${progress}${lead}`;
}

function lineButtons(line: ReminderLine, index: number): ActionsBlock {
  const value = (verb?: ReminderVerb) => JSON.stringify({ ref: line.ref, deadlineId: line.deadlineId, ...(verb ? { verb } : {}) });
  const id = (verb: string) => `${REMINDER_ACTION_PREFIX}${verb}:${index}`;
  const more: Overflow = {
    type: 'overflow',
    action_id: id('menu'),
    options: (
      [
        ['Off track', 'off-track'],
        ['Blocked', 'blocked'],
        ['Snooze 1 day', 'snooze-1d'],
        ['Snooze 1 week', 'snooze-7d'],
        ['Reminders off', 'off'],
      ] as const
    ).map(([text, verb]) => ({ text: { type: 'plain_text' as const, text }, value: value(verb) })),
  };
  return actions(`reminder-line:${index}`, [
    button('On track', id('on-track'), value()),
    button('At risk', id('at-risk'), value()),
    button(line.parts ? 'Part done' : 'Done', id('done'), value(), 'primary'),
    more,
  ]);
}

/** "<@U…> is away until 5 Jun 2017 (“at a conference”)". */
export function awayWords(away: AwayNote, timeZone: string): string {
  const until = away.untilDate ? formatDay(away.untilDate) : away.until ? formatInstant(new Date(away.until), timeZone) : null;
  return `<@${away.userId}> is away ${until ? `until ${until}` : 'while their Slack status says so'}${away.note ? ` (“${escape(away.note)}”)` : ''}`;
}

function opening(notice: ReminderNotice, timeZone: string): string {
  const count = notice.lines.length;
  const counts = URGENCIES.map((urgency) => [urgency, notice.lines.filter((line) => line.urgency === urgency).length] as const)
    .filter(([, n]) => n > 0)
    .map(([urgency, n]) => `${n} ${URGENCY_WORDS[urgency]}`)
    .join(', ');
  if (notice.summary?.kind === 'weekly') {
    return count
      ? `:spiral_calendar_pad: *Your week* (from ${formatDay(notice.summary.weekOf)}): *${plural(count, 'deadline')}* overdue or due by next Monday — ${counts}. It comes each Monday; a deadline's own day still brings a reminder.`
      : `:spiral_calendar_pad: *Your week* (from ${formatDay(notice.summary.weekOf)}): nothing of your leads is overdue or due this week.`;
  }
  if (notice.summary?.kind === 'welcome') {
    const since = formatInstant(new Date(notice.summary.since), timeZone);
    return count
      ? `:wave: *Welcome back.* While you were away (since ${since}) your reminders went to your leads' other owners. Still open: *${plural(count, 'deadline')}* — ${counts}.`
      : `:wave: *Welcome back.* While you were away (since ${since}) your reminders went to your leads' other owners. Nothing of your leads is overdue or due in the next two weeks.`;
  }
  switch (notice.audience.kind) {
    case 'user':
      return `:bell: *${plural(count, 'deadline')} to look at* — ${counts}. A tap on a status records it, and the Taskforce channel hears of it.`;
    case 'channel':
      return `:bell: *${plural(count, 'deadline')} for the leads this channel answers for* — ${counts}.`;
    case 'usergroup':
      return `<!subteam^${notice.audience.id}> :bell: *${plural(count, 'deadline')} for your lead* — ${counts}.`;
    case 'unmapped':
      return `:bell: *${plural(count, 'deadline')} of leads with no Slack owner* — ${counts}. They come here until an admin maps each lead: \`/lead <lead> @someone\`.`;
    case 'away': {
      const away = notice.away?.[0];
      return `:palm_tree: ${away ? awayWords(away, timeZone) : `<@${notice.audience.id}> is away`}, and no one else answers for their lead, so their reminders come here meanwhile: *${plural(count, 'deadline')}* — ${counts}. An admin can add an owner: \`/lead <lead> @someone\`.`;
    }
    case 'escalation':
      return `:rotating_light: *Escalation: ${plural(count, 'deadline')} overdue* and the nudges to their leads have gone unanswered.`;
  }
}

/** The notification text: a few refs, most urgent first. */
function notificationText(notice: ReminderNotice): string {
  const named = notice.lines.slice(0, 3).map((line) => `${line.ref} (${whenDue(line).replace(/ \(.*\)$/, '')})`);
  const rest = notice.lines.length - named.length;
  if (notice.summary) {
    const what = notice.summary.kind === 'weekly' ? 'Your week' : 'Welcome back';
    return named.length ? `${what}: ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}` : `${what}: nothing open`;
  }
  const lead = notice.audience.kind === 'escalation' ? 'Escalation' : notice.audience.kind === 'away' ? `Away (<@${notice.audience.id}>)` : 'Reminder';
  return `${lead}: ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** Where to see what did not fit. */
function moreCommand(notice: ReminderNotice): string {
  return notice.audience.kind === 'user' ? '`/action mine`' : '`/overdue` and `/upcoming`';
}

/**
 * One reminder message: every line due to this audience in a sweep, most urgent first, each with
 * its own buttons (not for unmapped leads and escalations, whose readers may not own them). What
 * Slack's limits leave out is counted at the end, with the command that shows it.
 */
/**
 * Lines of the same deadline for several unmapped leads, shown as one ("· LGA, Taskforce Team"):
 * each lead's reminder is its own line in the ledger, but a reader sees the deadline once.
 */
function mergeUnmapped(lines: readonly ReminderLine[]): ReminderLine[] {
  const merged: ReminderLine[] = [];
  // By deadline, not a search of what is merged so far: a first sweep of a large plan words one
  // message of 20,000 lines, and the search made it 3 s (README, "Performance").
  const firstOf = new Map<string, ReminderLine>();
  for (const line of lines) {
    const deadline = `${line.ref}\n${line.deadlineId}\n${line.dueDate}`;
    const same = firstOf.get(deadline);
    if (same && line.unmappedLead) {
      same.unmappedLead = `${same.unmappedLead}, ${line.unmappedLead}`;
      continue;
    }
    const copy = { ...line };
    merged.push(copy);
    if (!same) firstOf.set(deadline, copy);
  }
  return merged;
}

export function reminderBlocks(original: ReminderNotice, timeZone: string): Reply {
  const notice = original.audience.kind === 'unmapped' ? { ...original, lines: mergeUnmapped(original.lines) } : original;
  const withButtons = notice.audience.kind !== 'unmapped' && notice.audience.kind !== 'escalation' && notice.audience.kind !== 'away';
  const withLead = !withButtons || notice.audience.kind !== 'user';
  const blocks: KnownBlock[] = [section(opening(notice, timeZone))];
  // Someone sharing this audience's leads is away: say who, and until when (one line for them all).
  if (notice.audience.kind !== 'away' && notice.away?.length) {
    blocks.push(context(`:palm_tree: ${notice.away.map((away) => awayWords(away, timeZone)).join('; ')}: their reminders come to their leads' other owners meanwhile, you among them.`));
  }
  const footer = (left: number) =>
    context(left > 0 ? `…and ${left} more — ${moreCommand(notice)}` : withButtons ? '⋯ on a line: Off track, Blocked, snooze it for a day or a week, or reminders off. `/action <ref>` shows an item.' : '`/action <ref>` shows an item.');
  let shown = 0;
  let heading: Urgency | null = null;
  for (const [index, line] of notice.lines.entries()) {
    const next: KnownBlock[] = [];
    if (line.urgency !== heading) next.push(context(URGENCY_HEADING[line.urgency]));
    next.push(section(reminderLineText(line, withLead)));
    if (withButtons) next.push(lineButtons(line, index));
    const fits = blocks.length + next.length + 1 <= MAX_BLOCKS && blockTextLength([...blocks, ...next]) + 200 <= MESSAGE_TEXT_BUDGET;
    if (!fits) break;
    blocks.push(...next);
    heading = line.urgency;
    shown++;
  }
  blocks.push(notice.lines.length ? footer(notice.lines.length - shown) : context('`/action mine` lists your items; `/reminders` shows your settings.'));
  return { text: notificationText(notice), blocks };
}

/** The message once a line's button was used: that line's buttons give way to what happened. */
export function reminderAnsweredBlocks(original: { blocks?: unknown[]; text?: string } | undefined, line: number, outcome: string): { text: string; blocks: unknown[] } {
  const blocks = (original?.blocks ?? []).map((block) => ((block as { block_id?: string }).block_id === `reminder-line:${line}` ? context(outcome) : block));
  return { text: original?.text ?? outcome, blocks };
}

/** What a press on a reminder did, in one line (in place of the line's buttons). */
export function reminderOutcomeText(answer: ReminderAnswer, who: string, timeZone: string): string {
  switch (answer.kind) {
    case 'status':
      return answer.part
        ? `:white_check_mark: ${who} marked “${escape(answer.part)}” of ${escape(answer.ref)} done.`
        : `:white_check_mark: ${who} set ${escape(answer.ref)} to ${STATUS_LABEL[answer.status]}.`;
    case 'snoozed':
      return `:zzz: ${answer.already ? `Already snoozed` : `Snoozed by ${who}`} until ${formatInstant(answer.until, timeZone)}: no reminders about ${escape(answer.ref)} here until then, then one.`;
    case 'reminders-off':
      return `:no_bell: ${who} switched reminders about ${escape(answer.ref)} off. \`/action ${escape(answer.ref)} reminders on\` brings them back. An overdue item is still raised with the Taskforce.`;
  }
}
