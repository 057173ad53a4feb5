import querystring from 'node:querystring';

/** What Slack sent to identify a request (a command's or button's trigger_id, an event's event_id), for the log. */
export function requestKeyOf(body: unknown): string {
  const fields = (body ?? {}) as { trigger_id?: unknown; event_id?: unknown };
  const key = typeof fields.trigger_id === 'string' ? fields.trigger_id : typeof fields.event_id === 'string' ? fields.event_id : null;
  return key ?? `local-${Math.random().toString(36).slice(2, 10)}`;
}

/** The same, from a request's body as it came. */
export function requestKey(text: string, contentType: string | undefined): string {
  try {
    const form = contentType === 'application/x-www-form-urlencoded' ? querystring.parse(text) : null;
    return requestKeyOf(form ? (typeof form.payload === 'string' ? JSON.parse(form.payload) : form) : JSON.parse(text));
  } catch {
    return requestKeyOf(null);
  }
}
