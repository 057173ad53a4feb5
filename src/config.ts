import { z } from 'zod';
import { parseInstant } from './domain/clock';
import { isKnownTimeZone } from './domain/time';
import { DEFAULT_DATABASE_URL, databaseKind } from './store/database-url';

/**
 * The one reading of the environment. Everything else takes a Config; nothing else reads
 * process.env. A bad value stops the start with one line naming the variable (see ConfigError).
 */
export interface Config {
  databaseUrl: string;
  timeZone: string;
  /** Fixed "now" for demos, rehearsals and tests; null means the system clock. */
  fixedNow: Date | null;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const blankAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const environmentSchema = z.object({
  DATABASE_URL: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .default(DEFAULT_DATABASE_URL)
      .refine((url) => databaseKind(url) === 'sqlite', 'must be a SQLite URL such as file:./data/taskforce.db'),
  ),
  TASKFORCE_TIMEZONE: z.preprocess(
    blankAsUndefined,
    z.string().default('Europe/London').refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/London'),
  ),
  TASKFORCE_NOW: z.preprocess(blankAsUndefined, z.string().optional()),
});

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
  return { databaseUrl: env.DATABASE_URL, timeZone: env.TASKFORCE_TIMEZONE, fixedNow };
}
