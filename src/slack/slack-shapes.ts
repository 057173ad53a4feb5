import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { NOT_A_SLACK_PAYLOAD, readSlackRequest, type Refusal, type RoutedKind, type SlackPayload } from './http-guard';

/**
 * The fields that Bolt's routing (getTypeAndConversation, its matchers) and our listeners read: a
 * string where a string is read, an object where fields are read from one. Bolt does not check
 * them (an `action_id` that is a number, an `event` that is `false`, throw inside it), and the
 * listeners should not each have to. Every other field goes on as it is.
 */
const channel = z.looseObject({ id: z.string().optional() }).optional();
const user = z.looseObject({ id: z.string() });
const view = z.looseObject({
  callback_id: z.string(),
  private_metadata: z.string().optional(),
  state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }).optional(),
});

const SHAPES: Record<RoutedKind, z.ZodType> = {
  // The bot has no options or shortcut listeners: Bolt would leave those unanswered (as below).
  options: z.never(),
  shortcut: z.never(),
  event: z.looseObject({
    event: z.looseObject({
      type: z.string(),
      // A user id; user_change carries the whole user, by id.
      user: z.union([z.string(), z.looseObject({ id: z.string() })]).optional(),
      channel: z.union([z.string(), z.looseObject({})]).optional(),
      channel_id: z.string().optional(),
      item: z.looseObject({}).optional(),
    }),
  }),
  command: z.looseObject({ command: z.string(), user_id: z.string(), text: z.string().optional() }),
  action: z.looseObject({ channel, user, actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).min(1) }),
  view: z.looseObject({ user, view }),
};

/** Whether a payload's fields are of the shapes Bolt and the listeners read (Slack's URL check has none to read). */
export function fitsSlackShape(payload: SlackPayload): boolean {
  return payload.kind === 'url_verification' || SHAPES[payload.kind].safeParse(payload.body).success;
}

/** The whole check of a request to /slack/events (http-guard.ts, then the shapes): null when it may go on to Bolt. */
export function checkSlackRequest(headers: IncomingHttpHeaders, body: Buffer, signingSecret: string, nowMs: number): Refusal | null {
  const read = readSlackRequest(headers, body, signingSecret, nowMs);
  if ('refusal' in read) return read.refusal;
  return 'body' in read && !fitsSlackShape(read) ? NOT_A_SLACK_PAYLOAD : null;
}
