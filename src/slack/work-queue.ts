import { afterArrivals } from '../store/turns';

/**
 * Bounds how much acknowledged work runs at once. Slack wants an ack within 3 seconds; the ack is
 * cheap but shares the one thread with the work that follows it, so under a burst the work waits
 * its turn here and acks stay quick.
 */
export function workQueue(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    // Let arriving requests be accepted and acknowledged first (see store/turns.ts).
    await afterArrivals();
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
