import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { MeetingsSource } from '../config';
import { CalendarReadError, readMeetingsIcs } from '../domain/meetings-ics';
import { planSpan } from '../domain/plan-span';
import { startOfMonth, addMonths } from '../domain/time';
import { applyCalendarMeetings } from '../store/calendar-meetings';
import type { Db } from '../store/client';

/** A calendar on the web is read at most this often (each sweep is every minute). */
export const URL_INTERVAL_MS = 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 15_000;
/** Far more than a meetings calendar holds: a bigger answer is not a meetings calendar. */
const MAX_BYTES = 5 * 1024 * 1024;

export interface MeetingsCalendar {
  /** Where it is read from, fit for the log (a URL's path may hold a secret: only its host). */
  where: string;
  /** Reads the calendar (when due) and applies it; never throws: a failure is logged once. */
  refresh(now: Date, log: (line: string) => void): Promise<void>;
}

function describe(source: MeetingsSource): string {
  if (source.kind === 'file') return source.path;
  const url = new URL(source.url);
  return `${url.protocol}//${url.host}/…`;
}

async function readSource(source: MeetingsSource): Promise<string> {
  if (source.kind === 'file') {
    try {
      return await fs.readFile(source.path, 'utf8');
    } catch (error) {
      throw new CalendarReadError(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  let response: Response;
  try {
    response = await fetch(source.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'text/calendar' } });
  } catch (error) {
    throw new CalendarReadError(`could not be fetched (${(error as Error).name === 'TimeoutError' ? 'no answer within 15 s' : (error as Error).message})`);
  }
  if (!response.ok) throw new CalendarReadError(`could not be fetched (HTTP ${response.status})`);
  const text = await response.text();
  if (text.length > MAX_BYTES) throw new CalendarReadError(`is larger than ${MAX_BYTES / 1024 / 1024} MiB`);
  return text;
}

/**
 * The meetings calendar (TASKFORCE_MEETINGS_ICS), read at the first sweep and then at each one (a
 * file) or hourly (a URL). A calendar unchanged since it was last applied is not applied again. A
 * calendar that cannot be read is logged in one line, once until it changes, and the stored
 * meetings stay as they were.
 */
export function meetingsCalendar(source: MeetingsSource, db: Db): MeetingsCalendar {
  const where = describe(source);
  let lastRead: number | null = null;
  let appliedHash: string | null = null;
  let lastProblem: string | null = null;
  return {
    where,
    async refresh(now, log) {
      if (source.kind === 'url' && lastRead !== null && now.getTime() - lastRead < URL_INTERVAL_MS && now.getTime() >= lastRead) return;
      lastRead = now.getTime();
      try {
        const text = await readSource(source);
        const hash = crypto.createHash('sha256').update(text).digest('hex');
        if (hash !== appliedHash) {
          const span = planSpan(await db.plan.findMany({ select: { startsOn: true, endsOn: true } }));
          const reading = readMeetingsIcs(text, { from: startOfMonth(span.from, 'UTC'), to: startOfMonth(addMonths(span.to, 1), 'UTC') });
          const changes = await applyCalendarMeetings(db, reading.meetings, now);
          appliedHash = hash;
          const left = [
            reading.allDayLeftOut ? `${reading.allDayLeftOut} all-day event(s) left out (a meeting needs a start time)` : '',
            reading.beyondLimit ? `${reading.beyondLimit} occurrence(s) past the first ${reading.meetings.length} left out` : '',
          ].filter(Boolean);
          if (changes.added || changes.moved || changes.cancelled || left.length || lastProblem) {
            log(`meetings calendar ${where}: ${reading.meetings.length} meetings read; ${changes.added} added, ${changes.moved} moved, ${changes.cancelled} cancelled${left.length ? `; ${left.join('; ')}` : ''}`);
          }
        }
        lastProblem = null;
      } catch (error) {
        const problem = error instanceof CalendarReadError ? error.message : `could not be applied (${(error as Error).message})`;
        if (problem !== lastProblem) log(`meetings calendar ${where} ${problem}; the stored meetings are kept as they were`);
        lastProblem = problem;
      }
    },
  };
}
