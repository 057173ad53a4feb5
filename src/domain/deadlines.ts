import type { DeadlineRule } from './deadline-words';
import type { Status } from './statuses';
import {
  addDays,
  addMonths,
  daysBetween,
  lastDayOfMonth,
  localDate,
  monthFromIndex,
  monthIndex,
  startOfLocalDay,
  startOfMonth,
  type LocalDate,
} from './time';

/** A milestone as stored: a rule with the plan's words. */
export interface Milestone {
  id: number;
  words: string;
  part: string | null;
  rule: DeadlineRule;
}

export interface StatusEntry {
  status: Status;
  /** Set when the entry is about one part of the deadline, not the whole item. */
  deadlineId: number | null;
  at: Date;
  /** "import" entries set the starting status; they are not updates from a person. */
  source: string;
}

/** What the deadline maths needs to know about an item. */
export interface TrackedItem {
  id: number;
  ref: string;
  leads: readonly string[];
  milestones: readonly Milestone[];
  /** Oldest first. */
  history: readonly StatusEntry[];
}

export interface Meeting {
  startsAt: Date;
}

export interface DeadlineContext {
  timeZone: string;
  /** Meetings that are not cancelled, in any order. */
  meetings: readonly Meeting[];
}

/** One time a milestone falls due. */
export interface Occurrence {
  milestone: Milestone;
  /** Stable within the milestone: the month ("2017-04") or the meeting's instant. */
  key: string;
  /** The day it is due, plan-local. */
  dueDate: LocalDate;
  /** From this instant on, an unmet occurrence is late. */
  dueAt: Date;
  /** Recurring only: updates from this instant up to dueAt meet it. */
  cycleStart: Date | null;
}

export type OccurrenceState = 'met' | 'overdue' | 'upcoming' | 'missed';

export interface AssessedOccurrence extends Occurrence {
  state: OccurrenceState;
}

const STEP_MONTHS = { 'six-monthly': 6, yearly: 12 } as const;

type Schedule = Omit<Occurrence, 'milestone'>[];

// Thousands of milestones share a handful of month rules ("6 monthly review*"); their dates
// never change, so each rule's schedule is worked out once per zone. The Dates are never mutated.
const schedules = new Map<string, Schedule>();

function monthlySchedule(rule: Extract<DeadlineRule, { kind: 'once' | 'six-monthly' | 'yearly' }>, zone: string): Schedule {
  const cacheKey = rule.kind === 'once' ? `${zone} once ${rule.dueMonth}` : `${zone} ${rule.kind} ${rule.fromMonth} ${rule.untilMonth}`;
  let schedule = schedules.get(cacheKey);
  if (schedule) return schedule;
  if (rule.kind === 'once') {
    schedule = [{ key: rule.dueMonth, dueDate: lastDayOfMonth(rule.dueMonth), dueAt: startOfMonth(addMonths(rule.dueMonth, 1), zone), cycleStart: null }];
  } else {
    const step = STEP_MONTHS[rule.kind];
    schedule = [];
    for (let index = monthIndex(rule.fromMonth); index <= monthIndex(rule.untilMonth); index += step) {
      const month = monthFromIndex(index);
      schedule.push({ key: month, dueDate: lastDayOfMonth(month), dueAt: startOfMonth(addMonths(month, 1), zone), cycleStart: startOfMonth(addMonths(month, 1 - step), zone) });
    }
  }
  if (schedules.size >= 10_000) schedules.clear(); // a bound, in case rules are many
  schedules.set(cacheKey, schedule);
  return schedule;
}

/** A milestone's occurrences without the milestone, in time order: cached for month rules. */
function scheduleOf(milestone: Milestone, context: DeadlineContext): Schedule {
  const { rule } = milestone;
  const zone = context.timeZone;
  if (rule.kind !== 'every-meeting') return monthlySchedule(rule, zone);
  const from = startOfMonth(rule.fromMonth, zone);
  const meetings = context.meetings
    .map((meeting) => meeting.startsAt)
    .filter((startsAt) => startsAt >= from)
    .sort((a, b) => a.getTime() - b.getTime());
  return meetings.map((startsAt, index) => ({
    key: startsAt.toISOString(),
    dueDate: localDate(startsAt, zone),
    dueAt: startsAt,
    cycleStart: index === 0 ? from : meetings[index - 1],
  }));
}

/** Every occurrence of a milestone, in time order. */
export function occurrencesOf(milestone: Milestone, context: DeadlineContext): Occurrence[] {
  return scheduleOf(milestone, context).map((occurrence) => ({ ...occurrence, milestone }));
}

/**
 * The item's status as of a moment: its latest whole-item entry then, or not-started. An item
 * whose parts are all one-off and all marked done is done, unless a whole-item status was set
 * after the last of them: a lead who marks every part done has finished the item.
 */
export function statusAsOf(item: TrackedItem, asOf: Date): Status {
  // Plain indexed loops over milliseconds: an item view runs these over the whole history several
  // times, and a busy item's history runs to hundreds of entries.
  const history = item.history;
  const until = asOf.getTime();
  let status: Status = 'not-started';
  let statusIndex = -1;
  for (let index = 0; index < history.length; index++) {
    const entry = history[index];
    if (entry.at.getTime() > until) break;
    if (entry.deadlineId === null) {
      status = entry.status;
      statusIndex = index;
    }
  }
  if (status === 'done') return status;
  const parts = partsDoneAsOf(item, asOf);
  return parts && parts.done === parts.total && parts.lastDoneIndex > statusIndex ? 'done' : status;
}

/** How many of an item's one-off parts are done: for items of two or more parts, all one-off. */
export function partsProgress(item: TrackedItem, asOf: Date): { done: number; total: number } | null {
  const parts = partsDoneAsOf(item, asOf);
  return parts && item.milestones.length >= 2 ? { done: parts.done, total: parts.total } : null;
}

/** Parts done as of a moment, and where in the history (oldest first) the last of them was. */
function partsDoneAsOf(item: TrackedItem, asOf: Date): { done: number; total: number; lastDoneIndex: number } | null {
  if (item.milestones.length === 0 || item.milestones.some((milestone) => milestone.rule.kind !== 'once')) return null;
  const history = item.history;
  const until = asOf.getTime();
  const doneAt = new Map<number, number>();
  for (let index = 0; index < history.length; index++) {
    const entry = history[index];
    if (entry.at.getTime() > until) break;
    if (entry.deadlineId === null) continue;
    if (entry.status === 'done') doneAt.set(entry.deadlineId, index);
    else doneAt.delete(entry.deadlineId);
  }
  const indexes = item.milestones.map((milestone) => doneAt.get(milestone.id)).filter((at): at is number => at !== undefined);
  return { done: indexes.length, total: item.milestones.length, lastDoneIndex: Math.max(-1, ...indexes) };
}

function partDoneAsOf(item: TrackedItem, milestoneId: number, asOf: Date): boolean {
  const history = item.history;
  const until = asOf.getTime();
  let done = false;
  for (let index = 0; index < history.length; index++) {
    const entry = history[index];
    if (entry.at.getTime() > until) break;
    if (entry.deadlineId === milestoneId) done = entry.status === 'done';
  }
  return done;
}

function updatedWithin(item: TrackedItem, from: Date, to: Date, asOf: Date): boolean {
  const [start, end, until] = [from.getTime(), to.getTime(), asOf.getTime()];
  for (const entry of item.history) {
    const at = entry.at.getTime();
    if (entry.source !== 'import' && at >= start && at < end && at <= until) return true;
  }
  return false;
}

/**
 * Every occurrence of every milestone of an item, with its state as of a moment:
 * - met: a one-off milestone marked done (or the item done); a recurring occurrence with any
 *   status update in its cycle; anything at all once the item is done;
 * - overdue: past due and not met. A recurring milestone is overdue for its latest past
 *   occurrence only: a newer cycle supersedes an older missed one, which is then "missed";
 * - upcoming: not yet due and not met.
 */
export function assessItem(item: TrackedItem, asOf: Date, context: DeadlineContext): AssessedOccurrence[] {
  const itemDone = statusAsOf(item, asOf) === 'done';
  const assessed: AssessedOccurrence[] = [];
  const until = asOf.getTime();
  // A sweep assesses every occurrence of every item each minute: one object each, made here.
  for (const milestone of item.milestones) {
    const schedule = scheduleOf(milestone, context);
    let latestPast = -1;
    for (let index = 0; index < schedule.length && schedule[index].dueAt.getTime() <= until; index++) latestPast = index;
    for (let index = 0; index < schedule.length; index++) {
      const { key, dueDate, dueAt, cycleStart } = schedule[index];
      const met = itemDone || (cycleStart === null ? partDoneAsOf(item, milestone.id, asOf) : updatedWithin(item, cycleStart, dueAt, asOf));
      let state: OccurrenceState;
      if (met) state = 'met';
      else if (dueAt.getTime() > until) state = 'upcoming';
      else if (cycleStart === null || index === latestPast) state = 'overdue';
      else state = 'missed';
      assessed.push({ milestone, key, dueDate, dueAt, cycleStart, state });
    }
  }
  return assessed.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

export interface DueEntry {
  item: TrackedItem;
  occurrence: AssessedOccurrence;
  /** Whole days past the due date (see daysLate); 0 for entries not yet due. */
  daysLate: number;
}

/** Whole days between the due date and the moment's local date (1 on the day after). */
export function daysLate(occurrence: Occurrence, asOf: Date, timeZone: string): number {
  return Math.max(0, daysBetween(occurrence.dueDate, localDate(asOf, timeZone)));
}

/** Open overdue occurrences as of a moment, oldest first. */
export function overdueAsOf(items: readonly TrackedItem[], asOf: Date, context: DeadlineContext): DueEntry[] {
  const entries: DueEntry[] = [];
  for (const item of items) {
    for (const occurrence of assessItem(item, asOf, context)) {
      if (occurrence.state !== 'overdue') continue;
      entries.push({ item, occurrence, daysLate: daysLate(occurrence, asOf, context.timeZone) });
    }
  }
  return entries.sort(byDueThenRef);
}

/**
 * Unmet occurrences falling due after the moment and by the end of the plan-local day `days`
 * days later (days = 0: the rest of today).
 */
export function dueWithin(
  items: readonly TrackedItem[],
  asOf: Date,
  days: number,
  context: DeadlineContext,
): DueEntry[] {
  const horizon = startOfLocalDay(addDays(localDate(asOf, context.timeZone), days + 1), context.timeZone);
  const entries: DueEntry[] = [];
  for (const item of items) {
    for (const occurrence of assessItem(item, asOf, context)) {
      if (occurrence.state !== 'upcoming' || occurrence.dueAt > horizon) continue;
      entries.push({ item, occurrence, daysLate: 0 });
    }
  }
  return entries.sort(byDueThenRef);
}

/** Groups entries under each of their items' leads, keeping each group's order. */
export function groupByLead<T extends DueEntry>(entries: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    for (const lead of entry.item.leads) {
      const group = groups.get(lead) ?? [];
      group.push(entry);
      groups.set(lead, group);
    }
  }
  return groups;
}

function byDueThenRef(a: DueEntry, b: DueEntry): number {
  return a.occurrence.dueAt.getTime() - b.occurrence.dueAt.getTime() || compareRefs(a.item.ref, b.item.ref);
}

/** Orders references as people read them: 1, 1b, 2, … 25, CG1 … CG5, LG1 … LG12, W1-18a … */
export function compareRefs(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}
