import { z } from 'zod';
import { parseInstant } from './domain/clock';
import { isKnownTimeZone } from './domain/time';
import { DEFAULT_DATABASE_URL, databaseKind } from './store/database-url';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from './domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE, type DigestSchedule } from './jobs/digests';
import { LOG_LEVELS, type LogLevelName } from './log';

/**
 * The one reading of the environment. Everything else takes a Config; nothing else reads
 * process.env. A bad value stops the start with one line naming the variable (see ConfigError).
 */
export interface Config {
  databaseUrl: string;
  timeZone: string;
  /** Fixed "now" for demos, rehearsals and tests; null means the system clock. */
  fixedNow: Date | null;
  /** Channel id where the Taskforce meets in Slack: updates are announced there. */
  channel: string | null;
  admins: string[];
  slack: SlackConfig;
  reminders: ReminderSettings;
  digest: DigestSchedule;
  /** LOG_LEVEL: the least severe level logged. */
  logLevel: LogLevelName;
  /** TASKFORCE_LEDGER_DAYS: finished sends are kept this many days, then pruned (see pruneLedger). */
  ledgerDays: number;
  /** METRICS_PORT: a port of its own for GET /metrics (Socket Mode, the console); null for none. */
  metricsPort: number | null;
  /** Calendar feeds out and the meetings calendar in; absent means neither (as with no variables set). */
  calendars?: CalendarConfig;
}

export interface CalendarConfig {
  /** Where people reach the bot's HTTP server (TASKFORCE_PUBLIC_URL), no trailing slash: feed addresses start with it. */
  publicUrl: string | null;
  /** The Taskforce's meeting calendar (TASKFORCE_MEETINGS_ICS). */
  meetingsIcs: MeetingsSource | null;
}

export type MeetingsSource = { kind: 'file'; path: string } | { kind: 'url'; url: string };

/** http:// is accepted only for this machine (tests, a proxy beside the bot); anything else must be https. */
export function isLoopbackUrl(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

function webAddress(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url)) ? url : null;
  } catch {
    return null;
  }
}

/**
 * How the app meets Slack, chosen by which tokens are set:
 * HTTP (bot token + signing secret), Socket Mode (+ app token), or the local console (none).
 */
export type SlackConfig =
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; apiUrl: string | null }
  | { mode: 'socket'; botToken: string; appToken: string; signingSecret: string | null; apiUrl: string | null }
  | { mode: 'console' };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_LEDGER_DAYS = 400;
export const MIN_LEDGER_DAYS = 90;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const blankAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const environmentSchema = z.object({
  DATABASE_URL: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .default(DEFAULT_DATABASE_URL)
      .refine((url) => databaseKind(url) !== null, 'must be a SQLite file URL (file:./data/taskforce.db) or a PostgreSQL URL (postgresql://…)'),
  ),
  TASKFORCE_TIMEZONE: z.preprocess(
    blankAsUndefined,
    z.string().default('Europe/London').refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/London'),
  ),
  TASKFORCE_NOW: z.preprocess(blankAsUndefined, z.string().optional()),
  TASKFORCE_CHANNEL: z.preprocess(blankAsUndefined, z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123ABCD (not its name)').optional()),
  TASKFORCE_ADMINS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .default('')
      .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
      .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id)), 'must be comma-separated Slack user ids such as U0123ABCD,U0456EFGH'),
  ),
  SLACK_BOT_TOKEN: z.preprocess(blankAsUndefined, z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional()),
  SLACK_SIGNING_SECRET: z.preprocess(blankAsUndefined, z.string().min(8, 'is too short to be a signing secret').optional()),
  SLACK_APP_TOKEN: z.preprocess(blankAsUndefined, z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional()),
  SLACK_API_URL: z.preprocess(blankAsUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  PORT: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  METRICS_PORT: z.preprocess(blankAsUndefined, z.coerce.number({ error: 'must be a port number such as 9464' }).int().min(0).max(65535).optional()),
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' ? blankAsUndefined(value.trim().toLowerCase()) : value),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  TASKFORCE_REMINDER_DAYS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .default(DEFAULT_REMINDER_SETTINGS.daysBefore.join(','))
      .refine((value) => /^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$/.test(value), 'must be days before a deadline, comma-separated, such as 14,7,1,0')
      .transform((value) => [...new Set(value.split(',').map((day) => Number(day.trim())))].sort((a, b) => b - a)),
  ),
  TASKFORCE_REMINDER_TIME: z.preprocess(blankAsUndefined, z.string().regex(TIME, 'must be a time of day such as 09:00').default(DEFAULT_REMINDER_SETTINGS.sendTime)),
  TASKFORCE_NUDGE_DAYS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(90).default(DEFAULT_REMINDER_SETTINGS.nudgeEveryDays)),
  TASKFORCE_ESCALATE_AFTER: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(20).default(DEFAULT_REMINDER_SETTINGS.escalateAfterNudges)),
  TASKFORCE_CATCH_UP_DAYS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(60).default(DEFAULT_REMINDER_SETTINGS.catchUpDays)),
  // Past the longest catch-up window (60 days) with a margin: a pruned key can never be planned again.
  TASKFORCE_LEDGER_DAYS: z.preprocess(blankAsUndefined, z.coerce.number({ error: 'must be a number of days, 90 or more' }).int().min(MIN_LEDGER_DAYS, `must be ${MIN_LEDGER_DAYS} days or more (longer than any catch-up window)`).max(36_500).default(DEFAULT_LEDGER_DAYS)),
  TASKFORCE_DIGEST_DAYS_BEFORE: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(20).default(DEFAULT_DIGEST_SCHEDULE.workingDaysBefore)),
  TASKFORCE_DIGEST_TIME: z.preprocess(blankAsUndefined, z.string().regex(TIME, 'must be a time of day such as 09:00').default(DEFAULT_DIGEST_SCHEDULE.time)),
  TASKFORCE_QUIET_DAYS: z.preprocess(blankAsUndefined, z.coerce.number().int().min(1).max(366).default(DEFAULT_DIGEST_SCHEDULE.quietDays)),
  TASKFORCE_PUBLIC_URL: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .refine((value) => {
        const url = webAddress(value);
        return url !== null && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
      }, 'must be the https address people reach the bot at, such as https://taskforce.example.org (http only for localhost), with no query')
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
  ),
  TASKFORCE_MEETINGS_ICS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .refine((value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || webAddress(value) !== null, 'must be a file path or an https URL of an iCalendar file (http only for localhost)')
      .transform((value): MeetingsSource => (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? { kind: 'url', url: value } : { kind: 'file', path: value }))
      .optional(),
  ),
});

type Environment = z.infer<typeof environmentSchema>;

function slackConfig(env: Environment): SlackConfig {
  const apiUrl = env.SLACK_API_URL ? (env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`) : null;
  if (env.SLACK_APP_TOKEN) {
    if (!env.SLACK_BOT_TOKEN) throw new ConfigError('SLACK_BOT_TOKEN is missing: Socket Mode needs SLACK_BOT_TOKEN as well as SLACK_APP_TOKEN');
    return { mode: 'socket', botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET ?? null, apiUrl };
  }
  if (env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET) {
    if (!env.SLACK_BOT_TOKEN) throw new ConfigError('SLACK_BOT_TOKEN is missing: HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
    if (!env.SLACK_SIGNING_SECRET) {
      throw new ConfigError('SLACK_SIGNING_SECRET is missing: HTTP mode needs it with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    return { mode: 'http', botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, port: env.PORT, apiUrl };
  }
  return { mode: 'console' };
}

export function readConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The value itself is left out: it may be a URL with a password in it.
    throw new ConfigError(`${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  let fixedNow: Date | null = null;
  if (env.TASKFORCE_NOW !== undefined) {
    fixedNow = parseInstant(env.TASKFORCE_NOW, env.TASKFORCE_TIMEZONE);
    if (!fixedNow) {
      throw new ConfigError('TASKFORCE_NOW must be an ISO date-time such as 2017-05-15T09:00 (plan time zone) or 2017-05-15T08:00Z');
    }
  }
  return {
    databaseUrl: env.DATABASE_URL,
    timeZone: env.TASKFORCE_TIMEZONE,
    fixedNow,
    channel: env.TASKFORCE_CHANNEL ?? null,
    admins: env.TASKFORCE_ADMINS,
    slack: slackConfig(env),
    reminders: {
      daysBefore: env.TASKFORCE_REMINDER_DAYS,
      sendTime: env.TASKFORCE_REMINDER_TIME,
      nudgeEveryDays: env.TASKFORCE_NUDGE_DAYS,
      escalateAfterNudges: env.TASKFORCE_ESCALATE_AFTER,
      catchUpDays: env.TASKFORCE_CATCH_UP_DAYS,
    },
    digest: { workingDaysBefore: env.TASKFORCE_DIGEST_DAYS_BEFORE, time: env.TASKFORCE_DIGEST_TIME, quietDays: env.TASKFORCE_QUIET_DAYS },
    ledgerDays: env.TASKFORCE_LEDGER_DAYS,
    logLevel: env.LOG_LEVEL,
    metricsPort: env.METRICS_PORT ?? null,
    calendars: { publicUrl: env.TASKFORCE_PUBLIC_URL ?? null, meetingsIcs: env.TASKFORCE_MEETINGS_ICS ?? null },
  };
}

/** Every secret the configuration holds, for the logger to scrub from any line that has one. */
export function secretsOf(config: Pick<Config, 'slack' | 'databaseUrl'>): string[] {
  const secrets: string[] = [];
  if (config.slack.mode !== 'console') secrets.push(config.slack.botToken);
  if (config.slack.mode === 'http') secrets.push(config.slack.signingSecret);
  if (config.slack.mode === 'socket') secrets.push(config.slack.appToken, ...(config.slack.signingSecret ? [config.slack.signingSecret] : []));
  const password = /^postgres(ql)?:\/\/[^/]*?:([^/]*)@/.exec(config.databaseUrl)?.[2];
  if (password) {
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // not percent-encoded: the raw form is enough
    }
  }
  for (const [name, value] of new URLSearchParams(config.databaseUrl.split('?')[1] ?? '')) if (/password|key/i.test(name)) secrets.push(value);
  return [...new Set(secrets)];
}
