/**
 * Checks Block Kit against Slack's published limits (see /work/shared/notes/slack-limits.md),
 * independently of the builders' own helpers, and checks that what a builder was given shows up
 * in what it built. Each check returns the problems it found, as sentences: [] when all is well.
 */
type Json = Record<string, unknown>;

export type Surface = 'message' | 'home' | 'modal';

const ELLIPSIS = '…';

function textOf(value: unknown): string | undefined {
  return value && typeof value === 'object' && typeof (value as Json).text === 'string' ? ((value as Json).text as string) : undefined;
}

/** Every `text` string in the blocks: what Slack counts against a message's ~12,000 characters. */
export function allText(blocks: readonly unknown[]): string[] {
  const texts: string[] = [];
  const visit = (value: unknown, key?: string) => {
    if (typeof value === 'string') {
      if (key === 'text') texts.push(value);
    } else if (Array.isArray(value)) value.forEach((entry) => visit(entry));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(blocks);
  return texts;
}

export function slackLimitProblems(payload: { text?: unknown; blocks?: unknown; [key: string]: unknown }, surface: Surface = 'message'): string[] {
  const problems: string[] = [];
  const blocks = (Array.isArray(payload.blocks) ? payload.blocks : []) as Json[];
  const maxBlocks = surface === 'message' ? 50 : 100;
  if (blocks.length === 0) problems.push('no blocks');
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks (at most ${maxBlocks})`);
  const limit = (where: string, text: string | undefined, max: number) => {
    if (text === undefined) {
      problems.push(`${where}: no text`);
      return;
    }
    if (text.length > max) problems.push(`${where}: ${text.length} characters (at most ${max})`);
    // A builder's safety net cuts to exactly the limit and ends with "…": something was lost.
    if (text.length === max && text.endsWith(ELLIPSIS)) problems.push(`${where}: cut at ${max} characters`);
  };
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  const element = (where: string, el: Json) => {
    const actionId = el.action_id;
    if (typeof actionId === 'string') {
      if (actionId.length > 255) problems.push(`${where}: action_id of ${actionId.length} characters`);
      if (actionIds.has(actionId)) problems.push(`${where}: action_id ${actionId} twice`);
      actionIds.add(actionId);
    }
    if (el.type === 'button') {
      limit(`${where} button text`, textOf(el.text), 75);
      if (typeof el.value === 'string' && el.value.length > 2000) problems.push(`${where}: button value of ${el.value.length} characters`);
      if (typeof el.url === 'string' && el.url.length > 3000) problems.push(`${where}: button url of ${el.url.length} characters`);
    }
    if (el.type === 'overflow') {
      const options = (el.options ?? []) as Json[];
      if (options.length < 2 || options.length > 5) problems.push(`${where}: ${options.length} overflow options (2 to 5)`);
      options.forEach((option, i) => {
        limit(`${where} option ${i} text`, textOf(option.text), 75);
        if (typeof option.value === 'string' && option.value.length > 150) problems.push(`${where} option ${i}: value of ${option.value.length} characters`);
      });
    }
  };
  blocks.forEach((block, index) => {
    const where = `block ${index} (${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) problems.push(`${where}: block_id of ${block.block_id.length} characters`);
      if (blockIds.has(block.block_id)) problems.push(`${where}: block_id ${block.block_id} twice`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        const fields = (block.fields ?? []) as Json[];
        if (block.text !== undefined || fields.length === 0) limit(where, textOf(block.text), 3000);
        if (fields.length > 10) problems.push(`${where}: ${fields.length} fields`);
        fields.forEach((field, i) => limit(`${where} field ${i}`, textOf(field), 2000));
        if (block.accessory) element(`${where} accessory`, block.accessory as Json);
        break;
      }
      case 'header':
        limit(where, textOf(block.text), 150);
        if ((block.text as Json | undefined)?.type !== 'plain_text') problems.push(`${where}: not plain_text`);
        break;
      case 'context': {
        const elements = (block.elements ?? []) as Json[];
        if (elements.length === 0 || elements.length > 10) problems.push(`${where}: ${elements.length} elements (1 to 10)`);
        elements.forEach((el, i) => el.type !== 'image' && limit(`${where} element ${i}`, textOf(el), 3000));
        break;
      }
      case 'actions': {
        const elements = (block.elements ?? []) as Json[];
        if (elements.length === 0 || elements.length > 25) problems.push(`${where}: ${elements.length} elements (1 to 25)`);
        elements.forEach((el, i) => element(`${where} element ${i}`, el));
        break;
      }
      case 'input':
        limit(`${where} label`, textOf(block.label), 2000);
        element(`${where} element`, block.element as Json);
        break;
      case 'divider':
        break;
      // Image block: alt_text ≤ 2,000, title ≤ 2,000 plain_text, and exactly one of image_url or slack_file.
      case 'image': {
        if (typeof block.alt_text !== 'string' || block.alt_text.length === 0 || block.alt_text.length > 2000) problems.push(`${where}: alt_text of ${String(block.alt_text ?? '').length} characters (1 to 2,000)`);
        if (block.title !== undefined) limit(`${where} title`, textOf(block.title), 2000);
        const file = block.slack_file as Json | undefined;
        if ((block.image_url === undefined) === (file === undefined)) problems.push(`${where}: needs image_url or slack_file, not both`);
        if (file && typeof file.id !== 'string' && typeof file.url !== 'string') problems.push(`${where}: slack_file without id or url`);
        break;
      }
      default:
        problems.push(`${where}: a block type this checker does not know`);
    }
  });
  if (surface === 'message') {
    const total = allText(blocks).reduce((sum, text) => sum + text.length, 0);
    if (total > 12_000) problems.push(`${total} characters of text in the blocks (at most 12,000)`);
    if (typeof payload.text !== 'string' || payload.text.trim() === '') problems.push('no top-level text');
    else if (payload.text.length > 40_000) problems.push(`top-level text of ${payload.text.length} characters`);
  }
  if (surface === 'modal') {
    for (const key of ['title', 'submit', 'close'] as const) if (payload[key] !== undefined) limit(`modal ${key}`, textOf(payload[key]), 24);
    if (typeof payload.private_metadata === 'string' && payload.private_metadata.length > 3000) problems.push(`private_metadata of ${payload.private_metadata.length} characters`);
    if (typeof payload.callback_id === 'string' && payload.callback_id.length > 255) problems.push('callback_id over 255 characters');
  }
  return problems;
}

/** The lines a person reads across pages, white space folded (a long line may be split between sections). */
export function readLines(pages: readonly { blocks?: unknown }[]): string[] {
  return pages.flatMap((page) => allText((page.blocks ?? []) as unknown[])).flatMap((text) => text.split('\n'));
}

/**
 * What a builder was given but did not show: each expectation is a few fragments that must all be
 * within `span` consecutive lines of some page (a ref with its date, say); one fragment alone may
 * run over line breaks. Returned as the expectations missing.
 */
export function missingFrom(pages: readonly { blocks?: unknown }[], expected: readonly (readonly string[])[], span = 1): (readonly string[])[] {
  const lines = readLines(pages);
  const text = lines.join(' ').replace(/\s+/g, ' ');
  const windows = lines.map((_, i) => lines.slice(i, i + span).join('\n'));
  return expected.filter((fragments) =>
    fragments.length === 1 ? !text.includes(fragments[0].replace(/\s+/g, ' ')) : !windows.some((window) => fragments.every((fragment) => window.includes(fragment))),
  );
}

/** How many entries the pages say they left out, in "and N more" lines that name a command (`/…`). */
export function countedAsMore(pages: readonly { blocks?: unknown }[]): number {
  let counted = 0;
  for (const line of readLines(pages)) {
    for (const match of line.matchAll(/and (\d+) more\b[^\n]*?`\/[a-z]/g)) counted += Number(match[1]);
  }
  return counted;
}
