import type { KnownBlock } from '@slack/types';
import { awayNote } from '../../domain/notices';
import type { PersonSettings } from '../../taskforce/people';
import { awayWords } from './reminders';
import { context, section, type Reply } from './common';

/** "09:00 your time (America/New_York, from your Slack profile)". */
function timeWords(settings: PersonSettings): string {
  const where = settings.slackZone ? `${settings.slackZone}, from your Slack profile` : `${settings.zone}, the plan's: Slack has not told me yours yet`;
  return `${settings.reminders.sendTime} your time (${where})`;
}

function frequencyWords(settings: PersonSettings): string {
  return settings.frequency === 'weekly'
    ? '*weekly*: one summary each Monday morning of everything overdue or due that week, and a reminder on a deadline\'s own day'
    : `*daily*: a reminder at each step (${stepWords(settings.reminders.daysBefore)}; every ${settings.reminders.nudgeEveryDays} days once overdue), on working days`;
}

/** [14, 7, 1, 0] → "14, 7 and 1 days before a deadline, and on the day". */
export function stepWords(daysBefore: readonly number[]): string {
  const before = daysBefore.filter((day) => day > 0);
  const listed = before.length > 1 ? `${before.slice(0, -1).join(', ')} and ${before[before.length - 1]}` : `${before[0] ?? ''}`;
  const ahead = before.length === 0 ? '' : `${listed} ${before.length === 1 && before[0] === 1 ? 'day' : 'days'} before a deadline`;
  const onTheDay = daysBefore.includes(0) ? 'on the day' : '';
  return [ahead, onTheDay].filter(Boolean).join(', and ');
}

function awayLine(settings: PersonSettings): string {
  if (!settings.away) return 'Away: no.';
  const from = settings.away.source === 'slack-status' ? ' (your Slack status says so)' : '';
  return `Away: yes — ${awayWords(awayNote(settings.away), settings.zone).replace(/^<@[^>]+> is away /, '')}${from}. Your reminders go to your leads' other owners (or the Taskforce channel) meanwhile; on your return, one message with what is still open.`;
}

/** `/reminders`: how often, when, quiet hours, away; and how to change each. */
export function reminderSettingsBlocks(settings: PersonSettings, changed: string | null = null): Reply {
  const blocks: KnownBlock[] = [];
  if (changed) blocks.push(section(`:white_check_mark: ${changed}`));
  blocks.push(
    section(
      [
        '*Your reminders*',
        `• How often: ${frequencyWords(settings)}.`,
        `• When: ${timeWords(settings)}.`,
        `• Quiet hours: ${settings.quiet ? `${settings.quiet.from}–${settings.quiet.to} your time: no DMs then; what falls due waits until they end` : 'none'}.`,
        `• ${awayLine(settings)}`,
      ].join('\n'),
    ),
    context('`/reminders daily` · `/reminders weekly` · `/reminders quiet 18:00-08:00` · `/reminders quiet off` · `/away until 2017-06-05` · Escalations to the Taskforce channel go whatever you choose.'),
  );
  return { text: changed ?? 'Your reminder settings', blocks };
}

/** `/away`, `/away until …`, `/away off`. */
export function awayBlocks(settings: PersonSettings, said: 'show' | 'set' | 'back' | 'not-away'): Reply {
  let text: string;
  if (said === 'back') text = ':wave: Welcome back: your reminders come to you again. What is still open comes in one message at your reminder time (at once if that has passed).';
  else if (said === 'not-away' || !settings.away) text = 'You are not away. `/away until 2017-06-05 [note]` hands your reminders to your leads\' other owners until that day.';
  else {
    const verb = said === 'set' ? ':palm_tree: Noted: you are' : ':palm_tree: You are';
    text = `${verb} away ${awayWords(awayNote(settings.away), settings.zone).replace(/^<@[^>]+> is away /, '')}${settings.away.source === 'slack-status' ? ' (your Slack status says so)' : ''}. Meanwhile your reminders go to your leads' other owners (or, where there are none, to the Taskforce channel), saying so. When you are back you get one message with what is still open. \`/away off\` if you are back sooner.`;
  }
  return { text, blocks: [section(text)] };
}
