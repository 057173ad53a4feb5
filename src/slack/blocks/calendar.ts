import type { CalendarAddress } from '../../taskforce/calendar';
import { context, escape, formatInstant, section, type Reply } from './common';

function whatIsInIt(leads: readonly string[]): string {
  return leads.length
    ? `It has the deadlines of ${escape(leads.join(', '))} (each an all-day event on its due date) and the Taskforce meetings.`
    : 'You answer for no lead yet, so it has the Taskforce meetings only; the deadlines of your leads appear once an admin maps you with `/lead`.';
}

/** The answer to `/calendar`: the address (once), what the feed holds, and how to subscribe. */
export function calendarBlocks(address: CalendarAddress, timeZone: string): Reply {
  if (address.kind === 'exists') {
    const made = formatInstant(address.madeAt, timeZone);
    return {
      text: `You have a calendar feed (made ${made})`,
      blocks: [
        section(
          `:calendar: You have a calendar feed, made ${made}. Its address was shown to you then; the bot keeps only a fingerprint of it, so it cannot show it again. ` +
            'If you have lost it, `/calendar reset` makes a new address and the old one stops working.',
        ),
        context(whatIsInIt(address.leads)),
      ],
    };
  }
  return {
    text: address.reset ? 'Your new calendar feed address (the old one no longer works)' : 'Your calendar feed address',
    blocks: [
      section(`:calendar: ${address.reset ? 'Your new calendar feed (the old address no longer works):' : 'Your own calendar feed:'}\n\`${address.url}\``),
      section(
        `${whatIsInIt(address.leads)} Subscribe to it by its address: Google Calendar, *Other calendars → From URL*; Outlook, *Add calendar → Subscribe from web*; Apple Calendar, *File → New Calendar Subscription*. It keeps itself up to date.`,
      ),
      context('Keep the address to yourself: anyone who has it can read the feed. This is the only time it is shown; `/calendar reset` makes a new one.'),
    ],
  };
}
