import { afterArrivals, runInTurn } from '../store/turns';

/**
 * Bounds how much acknowledged work runs at once, and shares it between people. Slack wants an
 * ack within 3 seconds; the ack is cheap but shares the one thread with the work that follows it,
 * so under a burst the work waits its turn here and acks stay quick. Each person's work waits in a
 * line of its own and a free slot goes to the next person in turn (round robin), no one running
 * more than `perPerson` at once: someone sending hundreds of commands delays only their own
 * answers, and anyone else's starts at once. What runs with more of the same person's work
 * waiting behind it runs as a backlog, which gives way to everyone else's (store/turns.ts).
 */
export function workQueue(concurrency: number, perPerson: number) {
  let running = 0;
  const runningFor = new Map<string, number>();
  // A Map keeps insertion order: a person served goes to the back, which makes the rotation.
  const lines = new Map<string, (() => void)[]>();

  function startNext(): void {
    while (running < concurrency) {
      const next = [...lines].find(([person]) => (runningFor.get(person) ?? 0) < perPerson);
      if (!next) return;
      const [person, line] = next;
      lines.delete(person);
      const start = line.shift()!;
      if (line.length > 0) lines.set(person, line);
      running++;
      runningFor.set(person, (runningFor.get(person) ?? 0) + 1);
      start();
    }
  }

  function finished(person: string): void {
    running--;
    const left = runningFor.get(person)! - 1;
    if (left === 0) runningFor.delete(person);
    else runningFor.set(person, left);
    startNext();
  }

  return async function run<T>(person: string, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      const line = lines.get(person);
      if (line) line.push(start);
      else lines.set(person, [start]);
      startNext();
    });
    // While more of this person's work waits behind it, it is a backlog and gives way to others'.
    try {
      return await runInTurn({ backlogged: () => lines.has(person) }, async () => {
        // Let arriving requests be accepted and acknowledged first (see store/turns.ts).
        await afterArrivals();
        return work();
      });
    } finally {
      finished(person);
    }
  };
}

export type WorkQueue = ReturnType<typeof workQueue>;
