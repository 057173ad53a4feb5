import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads the source copies kept in plans/sources independently of the data files, so tests can
 * check the transcription against the plans' own words.
 */
export const SOURCES_DIR = path.resolve(__dirname, '../../plans/sources');
export const AMBITION_SOURCE = fs.readFileSync(path.join(SOURCES_DIR, 'ambition-2016-2021.txt'), 'utf8');
export const ACTION_PLAN_2020_SOURCE = fs.readFileSync(path.join(SOURCES_DIR, 'action-plan-to-march-2020.txt'), 'utf8');

/** Drops HTML tags and folds all white space, as both sides are compared. */
export function normalise(text: string): string {
  return text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface SourceAction {
  ref: string;
  text: string;
  section: string;
  lead: string;
  deadline: string;
  comments: string;
}

export interface SourceChallenge {
  ref: string;
  text: string;
  section: string;
  comments: string;
}

/** The rows of the Ambition action table; action 1's second, un-numbered row is "1b". */
export function ambitionActions(): SourceAction[] {
  const actions: SourceAction[] = [];
  for (const line of AMBITION_SOURCE.split('\n')) {
    const cells = line.split('\t');
    if (cells.length !== 6) continue;
    const [number, text, section, lead, deadline, comments] = cells.map((cell) => normalise(cell));
    if (/^\d+$/.test(number)) actions.push({ ref: number, text, section, lead, deadline, comments });
    else if (number === '' && text !== '') actions.push({ ref: `${actions[actions.length - 1].ref}b`, text, section, lead, deadline, comments });
  }
  return actions;
}

export function ambitionChallenges(): SourceChallenge[] {
  return AMBITION_SOURCE.split('\n')
    .map((line) => line.split('\t'))
    .filter((cells) => cells.length === 4 && /^(CG|LG)\d+$/.test(cells[0]))
    .map(([ref, text, section, comments]) => ({ ref, text: normalise(text), section: normalise(section), comments: normalise(comments) }));
}

/**
 * True when `text` is the source's words: it must be a run of pieces, each found in the source
 * and each at least `minWords` words long (or the whole text), in order. A flattened PDF breaks
 * a cell across pages, so one text may be two runs; a typo or an invented word is in neither.
 * A piece may end where the source has punctuation after it ("reports," ends "reports").
 */
export function foundInSource(text: string, source: string, minWords = 2): { ok: boolean; missing: string } {
  const haystack = normalise(source);
  const words = normalise(text).split(' ');
  const occurs = (piece: string) =>
    new RegExp(`(?:^|\\s)${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s,.;:)\\]]|$)`).test(haystack);
  let start = 0;
  while (start < words.length) {
    let end = words.length;
    while (end > start && !occurs(words.slice(start, end).join(' '))) end--;
    const pieceLength = end - start;
    if (pieceLength === 0 || (pieceLength < minWords && pieceLength < words.length)) {
      return { ok: false, missing: words.slice(start, start + 8).join(' ') };
    }
    start = end;
  }
  return { ok: true, missing: '' };
}
