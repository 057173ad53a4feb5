import type { z } from 'zod';

/**
 * Reads JSON that comes back from Slack in a button's value or a modal's private_metadata. The bot
 * wrote it, but a signed request can carry anything there, so it is parsed and checked, never cast:
 * null when it is not what the schema says.
 */
export function readJson<T>(text: unknown, schema: z.ZodType<T>): T | null {
  if (typeof text !== 'string') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Said when a button or form carries something the bot did not put there. */
export const DAMAGED_MESSAGE = 'That button or form is out of date or damaged, so nothing was changed: run `/action <item>` again for fresh buttons.';
