import { nearestWord } from './suggest';
import { DomainError } from './errors';

/** The statuses an item can have. The current status is the latest one recorded. */
export const STATUSES = ['not-started', 'on-track', 'at-risk', 'off-track', 'blocked', 'done'] as const;
export type Status = (typeof STATUSES)[number];

/** How a status reads to people, everywhere: Slack, the console, charts, the report. */
export const STATUS_LABEL: Record<Status, string> = {
  'not-started': 'Not started',
  'on-track': 'On track',
  'at-risk': 'At risk',
  'off-track': 'Off track',
  blocked: 'Blocked',
  done: 'Done',
};

/** Statuses a person can set (not-started is only where every item begins). */
export const SETTABLE_STATUSES: readonly Status[] = ['on-track', 'at-risk', 'off-track', 'blocked', 'done'];

export type Rag = 'green' | 'amber' | 'red';

/** UK public bodies report in RAG; this is how the statuses read in it. */
export const RAG_OF_STATUS: Record<Status, Rag | null> = {
  'not-started': null,
  'on-track': 'green',
  'at-risk': 'amber',
  'off-track': 'red',
  blocked: 'red',
  done: 'green',
};

const SYNONYMS: Record<string, Status> = {
  'not-started': 'not-started',
  'not-yet-started': 'not-started',
  'on-track': 'on-track',
  green: 'on-track',
  'in-progress': 'on-track',
  ok: 'on-track',
  'at-risk': 'at-risk',
  amber: 'at-risk',
  risk: 'at-risk',
  risky: 'at-risk',
  'off-track': 'off-track',
  red: 'off-track',
  delayed: 'off-track',
  late: 'off-track',
  behind: 'off-track',
  slipping: 'off-track',
  blocked: 'blocked',
  stuck: 'blocked',
  'on-hold': 'blocked',
  done: 'done',
  complete: 'done',
  completed: 'done',
  finished: 'done',
  delivered: 'done',
};

function normalise(words: readonly string[]): string {
  return words
    .join('-')
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[.!,;:]+$/, '');
}

/**
 * Reads a status from the start of `words`: "on-track", "On Track", "on_track", "green",
 * "complete". Two-word forms ("on track", "at risk") are tried before one-word ones.
 * Returns the status and how many words it used, or null.
 */
export function readStatus(words: readonly string[]): { status: Status; consumed: number } | null {
  for (const length of [3, 2, 1]) {
    if (words.length < length) continue;
    const status = SYNONYMS[normalise(words.slice(0, length))];
    if (status) return { status, consumed: length };
  }
  return null;
}

export function parseStatus(text: string): Status | null {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const read = readStatus(words);
  return read && read.consumed === words.length ? read.status : null;
}

export function isStatus(value: unknown): value is Status {
  return (STATUSES as readonly unknown[]).includes(value);
}

export function isSettableStatus(value: unknown): value is Status {
  return (SETTABLE_STATUSES as readonly unknown[]).includes(value);
}

/**
 * The status a person asked for, if it is one they may set. What arrives from Slack (a button's
 * id, a modal's metadata) is not trusted to be one: a forged "pwned" saved would break every
 * reading of the item's history. The value is not echoed back.
 */
export function requireSettableStatus(value: unknown): Status {
  if (isSettableStatus(value)) return value;
  throw new DomainError('unknown-status', `That is not a status you can set. Use one of: ${SETTABLE_STATUSES.join(', ')}. Nothing was changed.`);
}

/**
 * The status a mistyped one was probably meant as ("ontrak", "at riks" → on-track, at-risk),
 * trying the first two words together, then the first alone. Null when none is close.
 */
export function suggestStatus(words: readonly string[]): Status | null {
  for (const length of [2, 1]) {
    if (words.length < length) continue;
    const near = nearestWord(normalise(words.slice(0, length)), Object.keys(SYNONYMS));
    if (near) return SYNONYMS[near];
  }
  return null;
}
