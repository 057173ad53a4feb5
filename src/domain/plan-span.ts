import { DomainError } from './errors';
import { addMonths, isMonth, lastDayOfMonth, monthIndex, zonedTime, type LocalDate, type Month } from './time';

/** The months in which dates given to the bot (meetings, report periods) make sense. */
export interface PlanSpan {
  from: Month;
  to: Month;
}

/** Reports and meetings about a plan go on for a while after it ends (reviews, the last reports). */
const YEARS_AFTER_THE_PLANS = 9;

/**
 * From the January of the year the first plan starts to the December some years after the last
 * one ends: for plans running December 2016 to 2021, 2016-01 to 2030-12.
 */
export function planSpan(plans: readonly { startsOn: Month; endsOn: Month }[]): PlanSpan {
  const starts = plans.map((plan) => plan.startsOn).filter(isMonth).sort();
  const ends = plans.map((plan) => plan.endsOn).filter(isMonth).sort();
  if (starts.length === 0 || ends.length === 0) throw new Error('no plans with a start and an end: import the plans first');
  return { from: `${starts[0].slice(0, 4)}-01`, to: `${Number(ends[ends.length - 1].slice(0, 4)) + YEARS_AFTER_THE_PLANS}-12` };
}

function within(month: Month, span: PlanSpan): boolean {
  return monthIndex(month) >= monthIndex(span.from) && monthIndex(month) <= monthIndex(span.to);
}

/** The April and October months a six-monthly report may end in, within the span. */
function reportMonths(span: PlanSpan): { first: Month; last: Month } {
  let first = span.from;
  while (!/-(04|10)$/.test(first)) first = addMonths(first, 1);
  let last = span.to;
  while (!/-(04|10)$/.test(last)) last = addMonths(last, -1);
  return { first, last };
}

/** Throws a friendly refusal unless a report period ends in a month within the span. */
export function checkReportMonth(month: Month, span: PlanSpan): void {
  if (isMonth(month) && within(month, span)) return;
  const { first, last } = reportMonths(span);
  throw new DomainError(
    'report-out-of-span',
    `There is no report for ${month}: the plans run from ${span.from} to ${span.to}, so give a month from ${first} to ${last}, April or October (e.g. \`/report 2017-04\`). Nothing was posted.`,
  );
}

/**
 * The instant of a meeting's local date and time, or a friendly refusal: a date outside the span,
 * or a time the zone's clocks skip (01:30 on the night British Summer Time starts).
 */
export function meetingInstant(date: LocalDate, time: string, zone: string, span: PlanSpan): Date {
  if (!within(date.slice(0, 7), span)) {
    throw new DomainError('meeting-out-of-span', `${date} is outside the plans' years: meetings can be from ${span.from}-01 to ${lastDayOfMonth(span.to)}. Nothing was added.`);
  }
  const instant = zonedTime(date, time, zone);
  const shown = localDateTime(instant, zone);
  if (shown !== `${date} ${time}`) {
    throw new DomainError(
      'time-does-not-exist',
      `${date} ${time} does not exist in ${zone}: the clocks go forward that night and skip it. Did you mean ${shown.slice(11)}? Nothing was added.`,
    );
  }
  return instant;
}

function localDateTime(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
