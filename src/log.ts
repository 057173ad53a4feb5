import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import pino from 'pino';

/** The bot's one logger: pino, JSON lines in production, readable lines in a terminal. */
export type Log = pino.Logger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Fields every line logged while handling one request or making one send carries. */
export interface LogContext {
  request?: string;
  command?: string;
  send?: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** The fields of the request or send under way, if any. */
export function currentLogContext(): LogContext {
  return context.getStore() ?? {};
}

/** What a job's one-line log takes besides the line: the send it is about, and how bad it is. */
export interface LineFields {
  send?: string;
  level?: 'info' | 'warn' | 'error';
}

/** The jobs' log (JobDeps.log): a line, with the key of the send it is about. */
export type LineLog = (line: string, fields?: LineFields) => void;

/** A LineLog on the logger: info unless the fields say otherwise. */
export function lineLog(log: Log): LineLog {
  return (line, fields = {}) => {
    const { level = 'info', ...rest } = fields;
    log[level](rest, line);
  };
}

/**
 * Runs `work` with `fields` added to every line logged inside it, its awaits included: Bolt's own
 * lines, the Web API client's and ours. That is how a line about a command carries its request key
 * without every function down the call taking a logger.
 */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, work);
}

/**
 * Key paths that hold a secret wherever they are logged (pino's redact). Values are also scrubbed
 * from each finished line (see `createLog`), which catches a secret inside a message or URL.
 */
const REDACT_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'password',
  'authorization',
  'databaseUrl',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.password',
  '*.authorization',
  '*.databaseUrl',
  'headers["x-slack-signature"]',
  '*.headers.authorization',
];

export interface LogOptions {
  level: LogLevelName;
  /** JSON lines (production, or not a terminal) or readable lines. */
  json: boolean;
  /** Values that must never appear in a line: tokens, secrets, the database password. */
  secrets: readonly string[];
  /** Where lines go: stderr by default. */
  write?: (line: string) => void;
}

/** JSON in production or when stderr is not a terminal (a container, a pipe, a file). */
export function wantsJson(environment: NodeJS.ProcessEnv = process.env, isTty = Boolean(process.stderr.isTTY)): boolean {
  return environment.NODE_ENV === 'production' || !isTty;
}

export function createLog(options: LogOptions): Log {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  // Short secrets would scrub ordinary words; the config refuses secrets that short anyway.
  const secrets = options.secrets.filter((secret) => secret.length >= 6);
  const scrub = (line: string) => secrets.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join('[redacted]') : text), line);
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => context.getStore() ?? {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    { write: (line: string) => write(scrub(options.json ? line : readableLine(line))) },
  );
}

/** A log that writes nothing: for tests and tools that do not need one. */
export const silentLog: Log = pino({ level: 'silent' });

const FIXED = new Set(['time', 'level', 'msg', 'err']);

/**
 * One JSON line as a person reads it: `12:51:33.096 WARN  the message  request=… send=…`, an
 * error's stack on the lines after. A tiny formatter rather than pino-pretty and its dozen
 * dependencies: the bot's lines are short and flat.
 */
export function readableLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level ?? '').toUpperCase().padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !FIXED.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n    ${(err.stack ?? err.message ?? '').split('\n').join('\n    ')}` : '';
  return `${time} ${level} ${entry.msg ?? ''}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}\n`;
}

/**
 * Bolt's Logger on top of ours, so that Bolt, its HTTP receiver and its Web API client log through
 * the same lines (and the same redaction). An Error among the arguments is logged as `err`.
 */
export function boltLogger(log: Log): BoltLogger {
  let named = log;
  const emit = (level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    if (!named.isLevelEnabled(level)) return;
    const err = parts.find((part): part is Error => part instanceof Error);
    const text = parts
      .filter((part) => part !== err)
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      .join(' ');
    if (err) named[level]({ err }, text || err.message);
    else named[level](text);
  };
  return {
    debug: (...parts) => emit('debug', parts),
    info: (...parts) => emit('info', parts),
    warn: (...parts) => emit('warn', parts),
    error: (...parts) => emit('error', parts),
    // Bolt sets its level from its own option; the bot's level is LOG_LEVEL's, set on `log`.
    setLevel: () => undefined,
    getLevel: () => (['debug', 'info', 'warn', 'error'].includes(named.level) ? named.level : 'error') as BoltLogLevel,
    setName: (name) => {
      named = log.child({ component: name });
    },
  };
}
