import { LogLevel } from '@slack/bolt';
import { fixedClock, type Clock } from '../../src/domain/clock';
import type { CalendarConfig } from '../../src/config';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { startSlackApp, type RunningSlackApp } from '../../src/slack/app';
import type { Store } from '../../src/store/client';
import { sendSlashCommand, type FakeSlack } from './slack-stand-in';
import { TIME_ZONE } from './store';

export const SECRET = 'test-signing-secret-0123456789';
export const ADMIN = 'U0ADMIN';
export const CHANNEL = 'C0TASKFORCE';

/**
 * The real Bolt app over HTTP on a store, talking to the Slack stand-in: its clock fixed at `now`,
 * or a clock the test moves.
 */
export async function startTestApp(
  fake: FakeSlack,
  store: Store & { url: string },
  now: Date | Clock,
  options: { calendars?: CalendarConfig } = {},
): Promise<RunningSlackApp & { url: string }> {
  const running = await startSlackApp(
    {
      databaseUrl: store.url,
      timeZone: TIME_ZONE,
      fixedNow: now instanceof Date ? now : null,
      channel: CHANNEL,
      admins: [ADMIN],
      slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
      reminders: DEFAULT_REMINDER_SETTINGS,
      digest: DEFAULT_DIGEST_SCHEDULE,
      calendars: options.calendars,
    },
    store,
    now instanceof Date ? fixedClock(now) : now,
    { logLevel: LogLevel.ERROR },
  );
  return { ...running, url: `http://127.0.0.1:${running.port}/slack/events` };
}

let responses = 0;

/** A signed slash command as a user; resolves with the text of its ephemeral answer. */
export async function commandText(fake: FakeSlack, appUrl: string, userId: string, name: string, text: string, triggerId?: string): Promise<string> {
  const id = `answer-${++responses}`;
  await sendSlashCommand(appUrl, SECRET, { command: name, text, user_id: userId, response_url: fake.responseUrl(id), trigger_id: triggerId });
  // Generous: a /report prints its PDF in Chromium before it answers, seconds on a busy machine.
  return String((await fake.waitFor(() => fake.responses(id)[0], 20_000)).body.text);
}
