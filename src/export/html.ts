/**
 * HTML built from tagged templates that escape every value put in them: a string is always text,
 * so a note cannot carry markup, an image or a link into the page. Only what this module's `html`
 * made (an `Html`) goes in unescaped, so a fragment is built once and nested without being escaped
 * twice. Arrays are joined; null, undefined and false leave nothing.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute's value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(strings.reduce((out, text, index) => out + text + (index < parts.length ? render(parts[index]) : ''), ''));
}

/** Markup this module's caller wrote itself (a stylesheet, a doctype): never for data. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
