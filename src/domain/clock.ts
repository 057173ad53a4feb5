import { dayjs } from './time';

/** Everything that needs "now" asks a clock, so tests, demos and rehearsals can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(instant: Date): Clock {
  return { now: () => new Date(instant.getTime()) };
}

const OFFSET_PATTERN = /(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_FORMATS = ['YYYY-MM-DDTHH:mm:ss.SSS', 'YYYY-MM-DDTHH:mm:ss', 'YYYY-MM-DDTHH:mm', 'YYYY-MM-DD HH:mm', 'YYYY-MM-DD'];

/**
 * Reads an ISO date-time such as TASKFORCE_NOW. With an offset ("Z", "+01:00") it is that instant;
 * without one it is a wall-clock time in the plan's zone. Returns null when it is not a date-time.
 */
export function parseInstant(text: string, zone: string): Date | null {
  const value = text.trim();
  if (OFFSET_PATTERN.test(value)) {
    const parsed = dayjs(value);
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && parsed.isValid() ? parsed.toDate() : null;
  }
  for (const format of LOCAL_FORMATS) {
    if (!dayjs(value, format, true).isValid()) continue;
    return dayjs.tz(value, format, zone).toDate();
  }
  return null;
}
