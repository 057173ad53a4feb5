import { compareRefs } from './deadlines';

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
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
