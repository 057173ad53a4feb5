import { localDate } from '../domain/time';
import type { LineLog } from '../log';
import type { Db } from '../store/client';
import { pruneLedger } from '../store/ledger';

/**
 * The ledger's retention (TASKFORCE_LEDGER_DAYS): after a sweep, at most once a plan-local day,
 * finished sends older than `keepDays` are pruned. Copies of the bot may each prune: deleting
 * what is already gone does nothing.
 */
export function dailyPrune(db: Db, keepDays: number, timeZone: string, log: LineLog): (now: Date) => Promise<number> {
  let prunedOn: string | null = null;
  return async (now) => {
    const today = localDate(now, timeZone);
    if (prunedOn === today) return 0;
    prunedOn = today;
    const pruned = await pruneLedger(db, new Date(now.getTime() - keepDays * 86_400_000), now);
    if (pruned > 0) log(`ledger rows pruned: ${pruned} (finished sends older than ${keepDays} days, TASKFORCE_LEDGER_DAYS)`);
    return pruned;
  };
}
