/**
 * Lets Slack's requests go before the bot's own work. Node (libuv) accepts one new connection per
 * turn of the event loop, and with SQLite a query runs synchronously; so under load, requests
 * would wait in the kernel's accept queue behind queries, past Slack's 3 seconds. The HTTP server
 * counts the connections it accepts; work (each SQLite query, each queued command) waits until a
 * whole turn has gone by with none accepted, or MAX_HOLD_MS, so that a steady stream of requests
 * cannot starve it. Process-wide, as the event loop is. (Measured: README, "Performance".)
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
    if (accepted === seen || Date.now() - since > MAX_HOLD_MS) return;
  }
}
