import { runSoak, type SoakOptions } from '../../bench/soak';
import { scratchDatabase } from '../helpers/store';

/** The soak bench (`BENCH_PARTS=soak npm run bench`) over a short span: every send once, none lost. */
describe('soak: days of sweeps with commands arriving', () => {
  async function soakFor(options: Omit<SoakOptions, 'databaseUrl' | 'start'>) {
    const database = await scratchDatabase('soak');
    try {
      return await runSoak({ ...options, databaseUrl: database.url, start: new Date('2017-03-01T00:00:00Z') });
    } finally {
      await database.drop();
    }
  }

  test('two days, a sweep every quarter of an hour, some sends failing: none doubled, none missing', async () => {
    const figures = await soakFor({ days: 2, stepMinutes: 15, keepDays: 14, failureRate: 0.2 });
    expect(figures.sweeps).toBeGreaterThanOrEqual(192);
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
