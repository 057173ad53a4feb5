/**
 * What happens to an error that nothing caught, once the bot is serving.
 *
 * - A rejected promise that nobody awaited is a bug in one piece of work, which has already failed:
 *   it is logged and the bot goes on serving everyone else.
 * - An exception thrown outside any request leaves the process in a state no one can vouch for: it
 *   is logged, then the bot stops as it does at SIGTERM (no new requests; what was acknowledged is
 *   finished and answered) and exits 1, for its supervisor to start it again. If stopping hangs,
 *   it exits 1 anyway after STOP_LIMIT_MS.
 */
const STOP_LIMIT_MS = 10_000;

export function installLastResort(log: (line: string) => void) {
  const exit = (code: number) => process.exit(code);
  let stop: (() => Promise<void>) | null = null;
  let exiting = false;
  process.on('unhandledRejection', (reason) => log(`error: unhandled rejection (still serving): ${describe(reason)}`));
  process.on('uncaughtException', (error) => {
    log(`error: uncaught exception: ${describe(error)}`);
    if (exiting) return;
    exiting = true;
    log('stopping after an uncaught exception: finishing what was acknowledged, then exiting 1');
    setTimeout(() => exit(1), STOP_LIMIT_MS).unref();
    Promise.resolve()
      .then(() => stop?.())
      .catch((failure: unknown) => log(`error: while stopping: ${describe(failure)}`))
      .finally(() => exit(1));
  });
  return {
    /** How to stop cleanly, once there is something to stop. */
    stopWith(stopping: () => Promise<void>) {
      stop = stopping;
    },
  };
}

function describe(reason: unknown): string {
  return reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
}
