import type { Announcement } from '../../taskforce/context';
import { actorName } from '../../taskforce/items';
import { escape, formatInstant, oneLine } from './common';
import { STATUS_LABEL } from '../../domain/statuses';

/** One line for the Taskforce channel. */
export function announcementText(announcement: Announcement, timeZone: string): string {
  const who = actorName(announcement.actor);
  switch (announcement.kind) {
    case 'status': {
      const item = `*${announcement.ref}* ${escape(announcement.title)}`;
      const what = announcement.part ? `marked “${escape(announcement.part)}” of ${item} done` : `marked ${item} as ${STATUS_LABEL[announcement.status]}`;
      return `${who} ${what}${announcement.note ? `: ${escape(oneLine(announcement.note))}` : ''}`;
    }
    case 'meeting-added':
      return `${who} added a Taskforce meeting: ${formatInstant(announcement.startsAt, timeZone)}${announcement.note ? ` (${escape(oneLine(announcement.note))})` : ''}`;
    case 'meeting-cancelled':
      return `${who} cancelled the Taskforce meeting of ${formatInstant(announcement.startsAt, timeZone)}`;
  }
}
