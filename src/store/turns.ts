/**
 * Lets Slack's requests go before the bot's own work. Node (libuv) accepts one new connection per
 * turn of the event loop, and with SQLite a query runs synchronously; so under load, requests
 * would wait in the kernel's accept queue behind queries, past Slack's 3 seconds. The HTTP server
 * counts the connections it accepts; work (each SQLite query, each queued command) waits until a
 * whole turn has gone by with none accepted, or MAX_HOLD_MS, so that a steady stream of requests
 * cannot starve it. Process-wide, as the event loop is. (Measured: README, "Performance".)
 */
import { AsyncLocalStorage } from 'node:async_hooks';

let accepted = 0;

/** The longest work is held back for arriving connections. */
const MAX_HOLD_MS = 500;

export function connectionAccepted(): void {
  accepted++;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function afterArrivals(): Promise<void> {
  const since = Date.now();
  for (;;) {
    const seen = accepted;
    // Two check phases apart: a poll phase, where connections are accepted, lies between them.
    await nextTurn();
    await nextTurn();
    if (Date.now() - since > MAX_HOLD_MS) return;
    if (accepted !== seen) continue;
    if (!backlog.getStore() || othersRunning === 0) return;
    await othersFinished(since + MAX_HOLD_MS - Date.now());
  }
}

/**
 * Work run as a backlog (one person's pile of commands, see slack/work-queue.ts) also lets other
 * work go first: at each turn it waits while any other work runs, within the same MAX_HOLD_MS,
 * so it still moves on. With SQLite that means at each query, so someone else's command runs
 * about as fast as on an idle bot however many one person has sent.
 */
const backlog = new AsyncLocalStorage<true>();
let othersRunning = 0;
const waitingForOthers = new Set<() => void>();

export async function runInTurn<T>(asBacklog: boolean, work: () => Promise<T>): Promise<T> {
  if (asBacklog) return backlog.run(true, work);
  othersRunning++;
  try {
    return await work();
  } finally {
    othersRunning--;
    if (othersRunning === 0) for (const done of [...waitingForOthers]) done();
  }
}

function othersFinished(withinMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waitingForOthers.delete(done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, withinMs));
    waitingForOthers.add(done);
  });
}
