import { plainMentions } from '../domain/text';
import type { KnownBlock } from '@slack/types';

const EMOJI: Record<string, string> = {
  ':white_circle:': '○',
  ':large_green_circle:': '●',
  ':large_orange_circle:': '◐',
  ':red_circle:': '◉',
  ':no_entry:': '⛔',
  ':white_check_mark:': '✔',
  ':warning:': '⚠',
  ':calendar:': '▸',
  ':speech_balloon:': '»',
  ':hourglass:': '⧗',
  ':tada:': '✨',
  ':thinking_face:': '?',
  ':page_facing_up:': '📄',
  ':bell:': '🔔',
  ':no_bell:': '🔕',
  ':snooze:': '💤',
  ':zzz:': '💤',
  ':rotating_light:': '🚨',
  ':alarm_clock:': '⏰',
  ':spiral_calendar_pad:': '▹',
  ':arrows_counterclockwise:': '↻',
  ':unlock:': '🔓',
  ':eyes:': '👀',
  ':palm_tree:': '🌴',
  ':wave:': '👋',
};

/**
 * Slack mrkdwn as a terminal shows it: mentions as names (by their label when Slack gave one:
 * <@U123|ann> → @ann; the console user's <@console> → @console), entities and emoji decoded.
 */
export function mrkdwnToText(text: string): string {
  return plainMentions(text)
    .replace(/:[a-z_]+:/g, (code) => EMOJI[code] ?? code)
    .replace(/(^|[\s(>])\*([^*\n]+)\*/g, '$1$2')
    .replace(/(^|[\s(>])_([^_\n]+)_/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null && 'text' in value ? String((value as { text: unknown }).text) : '';
}

/** Renders Block Kit readably for the console: the same replies Slack would show. */
export function renderBlocks(blocks: readonly KnownBlock[], options: { pressShortcut?: (blockId: string) => string | null } = {}): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push('', `== ${textOf(block.text)} ==`);
        break;
      case 'section':
        lines.push(mrkdwnToText(textOf(block.text)));
        break;
      case 'context':
        lines.push(...block.elements.map((element) => `  ${mrkdwnToText(textOf(element))}`));
        break;
      case 'divider':
        lines.push('────────────────────────────────────────');
        break;
      case 'actions': {
        const buttons = block.elements.map((element) => (element.type === 'overflow' ? '[⋯]' : `[${textOf('text' in element ? element.text : '')}]`));
        const ref = block.block_id?.startsWith('item:') ? block.block_id.slice('item:'.length) : null;
        const shortcut = block.block_id ? (options.pressShortcut?.(block.block_id) ?? null) : null;
        lines.push(`${buttons.join(' ')}${ref ? `   (in the console, type: /action ${ref} <status> [note])` : shortcut ? `   (type: ${shortcut})` : ''}`);
        break;
      }
      default:
        break;
    }
  }
  return lines.join('\n');
}
