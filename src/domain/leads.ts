/**
 * Splits a plan's lead words into lead names: "LGA / Taskforce Team" is two leads;
 * "DCMS, Arts Council England, Taskforce Team and relevant Taskforce members" is four.
 * Each name starts with a capital, so "relevant Taskforce members" is the lead
 * "Relevant Taskforce members" that action 8 names on its own.
 */
export function splitLeadWords(words: string): string[] {
  return words
    .split(/\s*\/\s*|\s*,\s*|\s+and\s+/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .map((name) => name[0].toUpperCase() + name.slice(1));
}

/** Lead names compare without regard to case or spacing. */
export function leadKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}
