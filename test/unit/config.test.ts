import { ConfigError, readConfig } from '../../src/config';

describe('configuration', () => {
  test('defaults: the embedded SQLite file, London time, the system clock', () => {
    expect(readConfig({})).toEqual({ databaseUrl: 'file:./data/taskforce.db', timeZone: 'Europe/London', fixedNow: null });
  });

  test('TASKFORCE_NOW is read in the plan time zone', () => {
    const config = readConfig({ TASKFORCE_NOW: '2017-05-15T09:00', TASKFORCE_TIMEZONE: 'America/New_York' });
    expect(config.fixedNow?.toISOString()).toBe('2017-05-15T13:00:00.000Z');
  });

  test.each([
    [{ TASKFORCE_TIMEZONE: 'Europe/Londn' }, /^TASKFORCE_TIMEZONE must be an IANA time zone/],
    [{ TASKFORCE_NOW: 'next tuesday' }, /^TASKFORCE_NOW must be an ISO date-time/],
    [{ DATABASE_URL: 'mysql://root:secret@localhost/db' }, /^DATABASE_URL must be a SQLite URL/],
  ])('a bad value stops the start with one line naming it: %j', (environment, message) => {
    expect(() => readConfig(environment)).toThrow(ConfigError);
    expect(() => readConfig(environment)).toThrow(message);
  });

  test('the error never repeats the value, which may hold a password', () => {
    expect(() => readConfig({ DATABASE_URL: 'mysql://root:secret@localhost/db' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
  });
});
