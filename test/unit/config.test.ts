import { ConfigError, readConfig, secretsOf } from '../../src/config';

describe('configuration', () => {
  test('defaults: the embedded SQLite file, London time, the system clock', () => {
    expect(readConfig({})).toEqual({
      databaseUrl: 'file:./data/taskforce.db',
      timeZone: 'Europe/London',
      fixedNow: null,
      channel: null,
      admins: [],
      slack: { mode: 'console' },
      reminders: { daysBefore: [14, 7, 1, 0], sendTime: '09:00', nudgeEveryDays: 7, escalateAfterNudges: 2, catchUpDays: 7 },
      digest: { workingDaysBefore: 2, time: '09:00', quietDays: 60 },
      ledgerDays: 400,
      logLevel: 'info',
      metricsPort: null,
      calendars: { publicUrl: null, meetingsIcs: null },
    });
  });

  test('TASKFORCE_NOW is read in the plan time zone', () => {
    const config = readConfig({ TASKFORCE_NOW: '2017-05-15T09:00', TASKFORCE_TIMEZONE: 'America/New_York' });
    expect(config.fixedNow?.toISOString()).toBe('2017-05-15T13:00:00.000Z');
  });

  test.each([
    [{ TASKFORCE_TIMEZONE: 'Europe/Londn' }, /^TASKFORCE_TIMEZONE must be an IANA time zone/],
    [{ TASKFORCE_NOW: 'next tuesday' }, /^TASKFORCE_NOW must be an ISO date-time/],
    [{ DATABASE_URL: 'mysql://root:secret@localhost/db' }, /^DATABASE_URL must be a SQLite file URL \(file:\.\/data\/taskforce\.db\) or a PostgreSQL URL/],
    [{ TASKFORCE_CHANNEL: '#taskforce' }, /^TASKFORCE_CHANNEL must be a Slack channel id/],
    [{ TASKFORCE_ADMINS: 'U123ABC,alice' }, /^TASKFORCE_ADMINS must be comma-separated Slack user ids/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET is missing/],
    [{ SLACK_SIGNING_SECRET: 'abcdefgh12345678' }, /^SLACK_BOT_TOKEN is missing/],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, /^SLACK_BOT_TOKEN is missing: Socket Mode/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 'abcdefgh12345678' }, /^SLACK_BOT_TOKEN must be a bot token/],
    [{ PORT: 'eighty' }, /^PORT /],
    [{ TASKFORCE_REMINDER_DAYS: '14, seven' }, /^TASKFORCE_REMINDER_DAYS must be days before a deadline/],
    [{ TASKFORCE_REMINDER_TIME: '9am' }, /^TASKFORCE_REMINDER_TIME must be a time of day/],
    [{ TASKFORCE_NUDGE_DAYS: '0' }, /^TASKFORCE_NUDGE_DAYS /],
    [{ SLACK_API_URL: 'not a url' }, /^SLACK_API_URL must be an http\(s\) URL/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ TASKFORCE_LEDGER_DAYS: '89' }, /^TASKFORCE_LEDGER_DAYS must be 90 days or more \(longer than any catch-up window\)$/],
    [{ TASKFORCE_LEDGER_DAYS: 'a year' }, /^TASKFORCE_LEDGER_DAYS must be a number of days/],
    [{ METRICS_PORT: 'nine' }, /^METRICS_PORT must be a port number/],
    [{ METRICS_PORT: '70000' }, /^METRICS_PORT /],
    [{ TASKFORCE_PUBLIC_URL: 'http://taskforce.example.org' }, /^TASKFORCE_PUBLIC_URL must be the https address people reach the bot at/],
    [{ TASKFORCE_PUBLIC_URL: 'https://taskforce.example.org/?token=1' }, /^TASKFORCE_PUBLIC_URL must be the https address/],
    [{ TASKFORCE_PUBLIC_URL: 'taskforce.example.org' }, /^TASKFORCE_PUBLIC_URL must be the https address/],
    [{ TASKFORCE_MEETINGS_ICS: 'http://calendar.example.org/meetings.ics' }, /^TASKFORCE_MEETINGS_ICS must be a file path or an https URL/],
    [{ TASKFORCE_MEETINGS_ICS: 'ftp://calendar.example.org/meetings.ics' }, /^TASKFORCE_MEETINGS_ICS must be a file path or an https URL/],
  ])('a bad value stops the start with one line naming it: %j', (environment, message) => {
    expect(() => readConfig(environment)).toThrow(ConfigError);
    expect(() => readConfig(environment)).toThrow(message);
  });

  test('the tokens set choose how the app meets Slack', () => {
    const http = readConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12345678', PORT: '4000', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(http.slack).toEqual({ mode: 'http', botToken: 'xoxb-1', signingSecret: 'abcdefgh12345678', port: 4000, apiUrl: 'http://127.0.0.1:9/api/' });
    const socket = readConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.slack.mode).toBe('socket');
    expect(readConfig({ TASKFORCE_ADMINS: ' U1AA, U2BB ' }).admins).toEqual(['U1AA', 'U2BB']);
    expect(readConfig({ TASKFORCE_REMINDER_DAYS: '3, 10,0' }).reminders.daysBefore).toEqual([10, 3, 0]);
    expect(readConfig({ TASKFORCE_LEDGER_DAYS: '90' }).ledgerDays).toBe(90);
  });

  test('the error never repeats the value, which may hold a password', () => {
    expect(() => readConfig({ DATABASE_URL: 'mysql://root:secret@localhost/db' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
    expect(() => readConfig({ SLACK_BOT_TOKEN: 'xoxp-very-secret-token', SLACK_SIGNING_SECRET: 'abcdefgh12345678' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('very-secret') }),
    );
  });

  test('LOG_LEVEL and METRICS_PORT', () => {
    expect(readConfig({ LOG_LEVEL: ' Warn ', METRICS_PORT: '9464' })).toMatchObject({ logLevel: 'warn', metricsPort: 9464 });
  });

  test('the secrets the logger scrubs: every token, the signing secret, the database password in either spelling', () => {
    const socket = readConfig({ SLACK_BOT_TOKEN: 'xoxb-bot-123', SLACK_APP_TOKEN: 'xapp-app-456', SLACK_SIGNING_SECRET: 'signing-789', DATABASE_URL: 'postgresql://bot:p%40ss-word@db:5432/taskforce?sslpassword=keypass' });
    expect(secretsOf(socket).sort()).toEqual(['keypass', 'p%40ss-word', 'p@ss-word', 'signing-789', 'xapp-app-456', 'xoxb-bot-123'].sort());
    expect(secretsOf(readConfig({}))).toEqual([]);
  });
});
