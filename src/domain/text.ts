/**
 * A person's words on the way in and in replies: stored once as typed, counted as people count
 * characters, quoted back escaped and short. Pure.
 */

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Some code units a person could not tell apart from one character (a long emoji sequence): texts
 * far longer than a limit allows are counted no further, since V8 copies the whole input for every
 * segment it hands out (a 256 kB body would need gigabytes).
 */
const UNITS_PER_CHARACTER = 32;

/** User-perceived characters: an emoji, or a letter with its accent, is one (not two UTF-16 units). */
export function characterCount(text: string, atMost = Infinity): number {
  const counted = Number.isFinite(atMost) ? text.slice(0, (atMost + 1) * UNITS_PER_CHARACTER) : text;
  let count = 0;
  for (const _ of segmenter.segment(counted)) if (++count > atMost) break;
  return counted.length < text.length ? Math.max(count, atMost + 1) : count;
}

/** The first `limit` user-perceived characters, with "…" when something was cut. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const graphemes = Array.from(segmenter.segment(text.slice(0, (limit + 1) * UNITS_PER_CHARACTER)), (part) => part.segment);
  return graphemes.length <= limit && text.length <= (limit + 1) * UNITS_PER_CHARACTER ? text : `${graphemes.slice(0, limit - 1).join('')}…`;
}

/**
 * Slash-command text as the person typed it. Slack escapes & < > as entities (manifest
 * `should_escape: true`) and sends mentions as <@U123|ann>; the entities are decoded once, and the
 * mentions are left for the parser (/lead reads them; a note keeps them as plainMentions).
 */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// C0 controls and DEL; newline and tab are kept where text keeps them (a modal's note).
// PostgreSQL refuses NUL in text and SQLite keeps it, so these are refused before either sees them.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** The first control character in the text, named for a reply ("U+0000"), or null. */
export function controlCharacter(text: string): string | null {
  const found = CONTROL.exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

export function controlCharacterMessage(code: string): string {
  return `That has an invisible control character in it (${code}), which can't be stored. Nothing was saved: type it again without it.`;
}

/**
 * What was typed, shown in a reply: on one line, cut to `limit` characters, with Slack's three
 * control characters escaped (replies are mrkdwn), so it reads as typed and cannot format.
 */
export function shown(typed: string, limit = 100): string {
  return cut(typed.replace(/\s+/g, ' ').trim(), limit).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What was typed, quoted back in a reply: "ontrak". */
export function echo(typed: string, limit = 100): string {
  return `"${shown(typed, limit)}"`;
}

/**
 * Mentions and links as a person reads them, outside Slack's markup: <@U123|ann> → @ann,
 * <#C123|general> → #general, <!subteam^S123|@lga> → @lga, <!here> → @here, <https://…|x> → https://…
 * Notes are stored this way (readable in exports and the report, and a note cannot ping anyone);
 * the console shows the bot's own mentions this way (<@console> → @console).
 */
export function plainMentions(text: string): string {
  return text
    .replace(/<@([A-Za-z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `@${label || id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `#${label || id}`)
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => (label ? `@${label.replace(/^@/, '')}` : `@group:${id}`))
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/g, '$1');
}
