import { performance } from 'node:perf_hooks';
import cron from 'node-cron';
import type { Metrics } from '../metrics';
import { dailyPrune } from './retention';
import { sweep, type JobDeps, type SweepReport } from './sweep';

export interface Scheduler {
  /** The sweep now under way, if any (for shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A heartbeat: a sweep at start (catch-up) and then every minute, in the plan's time zone. What is
 * due is decided by the database at each sweep, never by timers a restart would lose; node-cron
 * only says "look now". A sweep still running when the next minute comes is not doubled.
 */
export function startScheduler(deps: JobDeps, options: { expression?: string; metrics?: Metrics; /** TASKFORCE_LEDGER_DAYS; none keeps every row. */ ledgerDays?: number } = {}): Scheduler {
  let running: Promise<void> = Promise.resolve();
  const prune = options.ledgerDays === undefined ? null : dailyPrune(deps.db, options.ledgerDays, deps.timeZone, deps.log);
  const run = () => {
    running = running.then(async () => {
      const started = performance.now();
      const took = (outcome: string) => options.metrics?.sweepSeconds.observe({ outcome }, (performance.now() - started) / 1000);
      try {
        const report: SweepReport = await sweep(deps);
        took('ok');
        if (report.sent.length || report.retrying.length || report.failed.length) {
          deps.log(`sweep: ${report.sent.length} sent, ${report.retrying.length} to retry, ${report.failed.length} failed`);
        }
      } catch (error) {
        took('failed');
        deps.log(`sweep failed (it will run again): ${(error as Error)?.message ?? error}`, { level: 'error' });
      }
      try {
        await prune?.(deps.clock.now());
      } catch (error) {
        deps.log(`pruning the ledger failed (it will be tried tomorrow): ${(error as Error)?.message ?? error}`, { level: 'error' });
      }
    });
    return running;
  };
  const task = cron.schedule(options.expression ?? '* * * * *', run, { timezone: deps.timeZone, noOverlap: true, name: 'taskforce-sweep' });
  void run();
  return {
    idle: () => running,
    async stop() {
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
