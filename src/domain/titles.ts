/**
 * A short title for an item, from its own words: the plans give items no titles, and a list of
 * bare numbers tells a reader nothing. The text is cut, never paraphrased: at the end of a clause
 * when one ends between MIN and MAX characters, else at a word, with "…" where words were left out.
 */
const MIN = 45;
const MAX = 80;

/** Where a clause ends: the cut goes before the punctuation (", " "; " " - " " – " " (" ": "). */
const CLAUSE_END = /(,|;|:|\.(?= [A-Z])| -| –| —|\s\()\s/g;
/** Little words a title should not end on ("… support library staff to…"). */
const DANGLING = /\s+(a|an|the|to|of|and|or|for|with|in|on|by|from|that|their|its|any|all|as|at)$/i;

// Every list, reminder and digest titles the same few hundred texts again and again.
const titles = new Map<string, string>();

export function itemTitle(text: string): string {
  let title = titles.get(text);
  if (title === undefined) {
    if (titles.size >= 20_000) titles.clear(); // a bound for a long-running process with a huge plan
    titles.set(text, (title = cutTitle(text)));
  }
  return title;
}

function cutTitle(text: string): string {
  const firstLine = text.split('\n')[0].replace(/\s+/g, ' ').trim();
  // A line that introduces a list ("… innovation fund:") goes on below it: say so, not ":".
  const introducesMore = firstLine.length < text.trim().length;
  const line = firstLine.replace(/[\s:;,–—-]+$/, '');
  if (line.length <= MAX) return introducesMore || line.length < firstLine.length ? `${line}…` : line;
  let cut = -1;
  for (const match of line.matchAll(CLAUSE_END)) {
    if (match.index >= MIN && match.index <= MAX - 1) cut = match.index;
  }
  if (cut < 0) cut = line.lastIndexOf(' ', MAX - 1);
  if (cut < MIN / 2) cut = MAX - 1;
  let title = line.slice(0, cut);
  while (DANGLING.test(title) && title.replace(DANGLING, '').length >= MIN) title = title.replace(DANGLING, '');
  return `${title.replace(/[\s:;,.–—-]+$/, '')}…`;
}
