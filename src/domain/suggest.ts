import { compareRefs } from './deadlines';

/** Edits between two words, a swap of neighbours counting as one ("psot" → "post"). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/** Collapses a sorted run of refs with one prefix into "LG1–LG12". */
function describeRun(refs: string[]): string {
  return refs.length > 3 ? `${refs[0]}–${refs[refs.length - 1]}` : refs.join(', ');
}

/**
 * What a person probably meant by a reference that does not exist: the family it belongs to
 * ("LG13" → "LG1–LG12"), or the nearest references by spelling.
 */
export function suggestRefs(input: string, refs: readonly string[]): string[] {
  const wanted = input.trim().toLowerCase();
  // "LG13" belongs with LG1-LG12; "26" with the numbered actions.
  const prefix = /^([a-z]*)\d+[a-z]?$/.exec(wanted)?.[1];
  if (prefix !== undefined) {
    const family = refs.filter((ref) => new RegExp(`^${prefix}\\d+${prefix ? '' : '[a-z]?'}$`, 'i').test(ref)).sort(compareRefs);
    if (family.length > 0) return [describeRun(family)];
  }
  return refs
    .map((ref) => ({ ref, distance: editDistance(wanted, ref.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= 2)
    .sort((a, b) => a.distance - b.distance || compareRefs(a.ref, b.ref))
    .slice(0, 3)
    .map((candidate) => candidate.ref);
}

/** Names that share a word with what was typed, for "did you mean" on leads and themes. */
export function suggestNames(input: string, names: readonly string[]): string[] {
  const typed = input.toLowerCase().split(/\W+/).filter((word) => word.length > 2);
  return names.filter((name) => typed.some((word) => name.toLowerCase().includes(word))).slice(0, 5);
}

/**
 * The one word a typo was probably meant as ("ontrak" → "on-track", "remind" → "reminders",
 * "/actions" → "/action"): the nearest by edit distance, within 1 for short words and 2 for
 * longer ones, or the one the typed word begins (at least 3 letters). Null when nothing is close.
 */
export function nearestWord(input: string, words: readonly string[]): string | null {
  const typed = input.trim().toLowerCase();
  if (typed === '') return null;
  const allowed = typed.length <= 4 ? 1 : 2;
  const ranked = words
    .map((word) => ({ word, distance: editDistance(typed, word.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= allowed)
    .sort((a, b) => a.distance - b.distance);
  if (ranked.length > 0) return ranked[0].word;
  const begun = typed.length >= 3 ? words.filter((word) => word.toLowerCase().startsWith(typed)) : [];
  return begun.length === 1 ? begun[0] : null;
}
