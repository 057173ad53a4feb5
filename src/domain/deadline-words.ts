import { addMonths, monthIndex, type Month } from './time';

/**
 * How a milestone recurs. Months are plan-local calendar months.
 * - once: due at the end of `dueMonth`;
 * - six-monthly / yearly: due at the end of `fromMonth` and every 6 / 12 months after, up to
 *   `untilMonth` (the plan's end);
 * - every-meeting: due at each Taskforce meeting held from the start of `fromMonth`.
 */
export type DeadlineRule =
  | { kind: 'once'; dueMonth: Month }
  | { kind: 'six-monthly' | 'yearly'; fromMonth: Month; untilMonth: Month }
  | { kind: 'every-meeting'; fromMonth: Month };

/** One milestone read from a plan's deadline words. */
export interface MilestoneSpec {
  /** The plan's words for this milestone, verbatim ("May 2017 [commission]"). */
  words: string;
  /** What it covers ("commission"), when the plan says, or when an item has several milestones. */
  part: string | null;
  rule: DeadlineRule;
}

export interface PlanSpan {
  starts: Month;
  ends: Month;
}

export class DeadlineWordsError extends Error {}

const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
const MONTH_YEAR = String.raw`(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{4})`;
/** The asterisk: "reported on as part of our 6 monthly progress reports in April and October". */
const REPORT_MONTHS = [4, 10];

function toMonth(name: string, year: string): Month {
  const index = MONTH_NAMES.indexOf(name.toLowerCase());
  return `${year}-${String(index + 1).padStart(2, '0')}`;
}

/** The first April or October strictly after `month` (or from it, when `inclusive`). */
function nextReportMonth(month: Month, inclusive: boolean): Month {
  let candidate = inclusive ? month : addMonths(month, 1);
  while (!REPORT_MONTHS.includes(Number(candidate.slice(5)))) candidate = addMonths(candidate, 1);
  return candidate;
}

function minMonth(a: Month, b: Month): Month {
  return monthIndex(a) <= monthIndex(b) ? a : b;
}

const STANDALONE_CYCLE = /^(?:6|six)[ -]monthly\s+(review|refresh|progress reports?)\s*\*?$/i;
const EVERY_MEETING = new RegExp(String.raw`^every taskforce meeting(?:\s+from\s+${MONTH_YEAR})?(?:\s*\[[^\]]*\])?$`, 'i');
const ANNUALLY = new RegExp(String.raw`^${MONTH_YEAR}\s+and annually thereafter$`, 'i');
const GOALS_IN = /^goals in (\d{4})(?:\s+and\s+(\d{4}))?$/i;
const OUTCOMES_BY = /^outcomes by (\d{4})$/i;
const BY_MONTH = new RegExp(String.raw`^(.+?)\s+by\s+${MONTH_YEAR}$`, 'i');
const DATED_PART = new RegExp(String.raw`^${MONTH_YEAR}(?:\s*\[([^\]]+)\])?`, 'i');
const THEN_CYCLE = /^and then (?:6|six)[ -]monthly\s+(review|refresh)\s*(\*?)$/i;

/**
 * Reads a plan's deadline words into milestones. The forms, and the choices made where the plan
 * is vague, are listed in README.md ("Reading the deadlines"). Throws DeadlineWordsError for
 * words it cannot read, so that a data file with such words is refused at import.
 */
export function readDeadlineWords(text: string, plan: PlanSpan): MilestoneSpec[] {
  const words = text.replace(/\s+/g, ' ').trim();
  let match: RegExpExecArray | null;

  if ((match = STANDALONE_CYCLE.exec(words))) {
    const fromMonth = nextReportMonth(plan.starts, true);
    return [{ words, part: null, rule: { kind: 'six-monthly', fromMonth, untilMonth: plan.ends } }];
  }
  if ((match = EVERY_MEETING.exec(words))) {
    const fromMonth = match[1] ? toMonth(match[1], match[2]) : plan.starts;
    return [{ words, part: null, rule: { kind: 'every-meeting', fromMonth } }];
  }
  if ((match = ANNUALLY.exec(words))) {
    return [{ words, part: null, rule: { kind: 'yearly', fromMonth: toMonth(match[1], match[2]), untilMonth: plan.ends } }];
  }
  if ((match = GOALS_IN.exec(words))) {
    const lastYear = match[2] ?? match[1];
    return [{ words, part: null, rule: { kind: 'once', dueMonth: minMonth(`${lastYear}-12`, plan.ends) } }];
  }
  if ((match = OUTCOMES_BY.exec(words))) {
    return [{ words, part: null, rule: { kind: 'once', dueMonth: `${match[1]}-12` } }];
  }
  if (!DATED_PART.test(words) && (match = BY_MONTH.exec(words))) {
    return [{ words, part: match[1], rule: { kind: 'once', dueMonth: toMonth(match[2], match[3]) } }];
  }
  return readDatedParts(words, plan);
}

/** "March 2017 [identify research] May 2017 [commission]", "April 2017 and then 6 monthly review*". */
function readDatedParts(words: string, plan: PlanSpan): MilestoneSpec[] {
  const milestones: MilestoneSpec[] = [];
  let rest = words;
  let match: RegExpExecArray | null;
  while ((match = DATED_PART.exec(rest))) {
    milestones.push({
      words: match[0].trim(),
      part: match[3]?.trim() ?? null,
      rule: { kind: 'once', dueMonth: toMonth(match[1], match[2]) },
    });
    rest = rest.slice(match[0].length).trim();
  }
  if (milestones.length === 0) throw new DeadlineWordsError(`cannot read the deadline "${words}"`);

  if (rest.length > 0) {
    const cycle = THEN_CYCLE.exec(rest);
    if (!cycle) throw new DeadlineWordsError(`cannot read "${rest}" in the deadline "${words}"`);
    const last = milestones[milestones.length - 1].rule as { dueMonth: Month };
    const fromMonth = cycle[2] === '*' ? nextReportMonth(last.dueMonth, false) : addMonths(last.dueMonth, 6);
    milestones.push({
      words: rest,
      part: `6 monthly ${cycle[1].toLowerCase()}`,
      rule: { kind: 'six-monthly', fromMonth, untilMonth: plan.ends },
    });
  }
  return milestones;
}
