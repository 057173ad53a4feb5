import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Lets Slack's requests go before the bot's own work. Node (libuv) accepts one new connection per
 * turn of the event loop, and with SQLite a query runs synchronously; so under load, requests
 * would wait in the kernel's accept queue behind queries, past Slack's 3 seconds. The HTTP server
 * counts the connections it accepts; work (each query, each queued command) waits until a
 * whole turn has gone by with none accepted, or MAX_HOLD_MS, so that a steady stream of requests
 * cannot starve it. Process-wide, as the event loop is. (Measured: README, "Performance".)
 * In HTTP mode Slack's requests are now accepted and acknowledged by a thread of their own
 * (slack/ack-worker.ts), and an arrival here is a request it hands over (or a connection to the
 * main thread's own server). The hold still matters: without it (one run of the commands bench,
 * SQLite), acks at 10 and 50 senders were 2-14 times as slow at the median: the main thread ran
 * flat out beside the ack thread on two vCPUs. One person's backlog of commands also gives way to
 * everyone else's work (see QueuedWork).
 */
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
    if (!mustGiveWay()) return;
    await someWorkFinished(since + MAX_HOLD_MS - Date.now());
  }
}

/**
 * Queued work (slack/work-queue.ts) says whether it is a backlog: one person's, with more of theirs
 * waiting behind it. A backlog also lets everyone else's work go first: at each turn (with SQLite,
 * before and after each query) it waits while other work that is not a backlog runs, within the
 * same MAX_HOLD_MS, so it still moves on. So someone else's command runs about as fast as on an
 * idle bot however many one person has sent.
 */
export interface QueuedWork {
  backlogged(): boolean;
}

const current = new AsyncLocalStorage<QueuedWork>();
const running = new Set<QueuedWork>();
const waiting = new Set<() => void>();

export async function runInTurn<T>(work: QueuedWork, run: () => Promise<T>): Promise<T> {
  running.add(work);
  try {
    return await current.run(work, run);
  } finally {
    running.delete(work);
    for (const wake of [...waiting]) wake();
  }
}

function mustGiveWay(): boolean {
  const work = current.getStore();
  if (!work?.backlogged()) return false;
  for (const other of running) if (other !== work && !other.backlogged()) return true;
  return false;
}

/** A backlog waits while other work runs (at most MAX_HOLD_MS); anything else goes on at once. */
export async function giveWay(): Promise<void> {
  const until = Date.now() + MAX_HOLD_MS;
  while (mustGiveWay() && Date.now() < until) await someWorkFinished(until - Date.now());
}

function someWorkFinished(withinMs: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      waiting.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, Math.max(0, withinMs));
    waiting.add(wake);
  });
}
