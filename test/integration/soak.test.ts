import { runSoak, type SoakOptions } from '../../bench/soak';
import { scratchDatabase } from '../helpers/store';

/** The soak bench (`BENCH_PARTS=soak npm run bench`) over a short span: every send once, none lost. */
// Seconds on an idle machine; a shared one under load takes several times as long.
jest.setTimeout(90_000);

describe('soak: days of sweeps with commands arriving', () => {
  async function soakFor(options: Omit<SoakOptions, 'databaseUrl' | 'start'>) {
    const database = await scratchDatabase('soak');
    try {
      return await runSoak({ ...options, databaseUrl: database.url, start: new Date('2017-03-01T00:00:00Z') });
    } finally {
      await database.drop();
    }
  }

  test('two days, a sweep every half hour, some sends failing: none doubled, none missing', async () => {
    const figures = await soakFor({ days: 2, stepMinutes: 30, keepDays: 14, failureRate: 0.2 });
    expect(figures.sweeps).toBeGreaterThanOrEqual(96);
    expect(figures.sends).toBeGreaterThan(3);
    expect(figures.failedAttempts).toBeGreaterThan(0);
    expect(figures.commands.status).toBeGreaterThan(20);
    expect({ doubled: figures.doubled, missing: figures.missing, unrecorded: figures.unrecorded }).toEqual({ doubled: [], missing: [], unrecorded: [] });
  });

  test('the check catches a double: a retention shorter than the catch-up window sends again', async () => {
    const figures = await soakFor({ days: 3, stepMinutes: 60, keepDays: 0 });
    expect(figures.pruned).toBeGreaterThan(0);
    expect(figures.doubled.length).toBeGreaterThan(0);
  });
});
