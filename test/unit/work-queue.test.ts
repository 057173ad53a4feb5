import { workQueue } from '../../src/slack/work-queue';

describe("issue 12 item 6: one user can delay everyone's answers (the queue's order)", () => {
  /** Queues each person's jobs in the order given; each finishes when told. Returns the start order. */
  async function starts(concurrency: number, perPerson: number, jobs: string[]): Promise<string[]> {
    const run = workQueue(concurrency, perPerson);
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const all = jobs.map((job) =>
      run(job[0], () => {
        started.push(job);
        return new Promise<void>((resolve) => finish.set(job, resolve));
      }),
    );
    // Finish whatever runs, oldest first, until everything has run.
    while (started.length < jobs.length || finish.size > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      const [oldest] = started.filter((job) => finish.has(job));
      if (oldest) {
        finish.get(oldest)!();
        finish.delete(oldest);
      }
    }
    await Promise.all(all);
    return started;
  }

  test("people take turns: someone's pile of commands does not keep another person's one waiting behind it", async () => {
    expect(await starts(1, 1, ['a1', 'a2', 'a3', 'a4', 'b1', 'c1', 'b2'])).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'b2', 'a4']);
  });

  test("one person's pile runs one at a time, and gives way while anyone else's work runs", async () => {
    const run = workQueue(4, 1);
    const running: string[] = [];
    const release: (() => void)[] = [];
    const job = (name: string) => () => {
      running.push(name);
      return new Promise<void>((resolve) => release.push(resolve));
    };
    const all = ['a1', 'a2', 'a3', 'b1'].map((name) => run(name[0], job(name)));
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(running).toEqual(['b1']); // a1 has its slot, and waits for b1
    expect(release).toHaveLength(1);
    while (release.length) {
      release.shift()!();
      for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(all);
    expect(running).toEqual(['b1', 'a1', 'a2', 'a3']);
  });
});
