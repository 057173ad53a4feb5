/**
 * The other side of `npm run bench`, in its own process so that it does not share the bot's one
 * thread: it stands in for Slack (the Web API and every response_url) and fires signed slash
 * commands at the bot. Driven over IPC by bench.ts.
 */
import { sendSlashCommand, startFakeSlack } from '../test/helpers/slack-stand-in';

export interface LoadJob {
  url: string;
  secret: string;
  command: string;
  /** The command's text; `{n}` becomes the request's number. */
  text: string;
  concurrency: number;
  /** At least this many requests… */
  total: number;
  /**
   * … and for at least this long, so that a fast app's p99 covers its garbage collections too:
   * bare Bolt sends 200 requests in a quarter of a second, often between two collections.
   */
  minimumMs?: number;
  /** Wait for each answer at its response_url too (the full app answers there, not in the ack). */
  answers: boolean;
  /** Who sends: each concurrent sender is its own person, as in a real workspace. */
  users: readonly string[];
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadResult {
  ack: Percentiles;
  /** From sending the command to its answer arriving at the response_url. */
  answer: Percentiles | null;
  perSecond: number;
  requests: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

async function main() {
  const fake = await startFakeSlack();
  const answered = new Map<string, () => void>();
  // The stand-in records calls; the bench only needs to know when each answer arrived.
  const record = fake.calls.push.bind(fake.calls);
  fake.calls.push = (...calls) => {
    for (const call of calls) if (call.kind === 'response') answered.get(call.method)?.();
    return record(...calls);
  };
  let batch = 0;

  async function run(job: LoadJob): Promise<LoadResult> {
    fake.reset();
    batch++;
    const acks: number[] = [];
    const answers: number[] = [];
    let next = 0;
    const started = performance.now();
    const more = () => next < job.total || performance.now() - started < (job.minimumMs ?? 0);
    await Promise.all(
      Array.from({ length: job.concurrency }, async (_, sender) => {
        while (more()) {
          const n = next++;
          const id = `b${batch}-${n}`;
          const arrived = job.answers ? new Promise<void>((resolve) => answered.set(id, resolve)) : null;
          const t0 = performance.now();
          const ack = await sendSlashCommand(job.url, job.secret, { command: job.command, text: job.text.replace('{n}', String(n)), user_id: job.users[sender % job.users.length], response_url: fake.responseUrl(id) });
          if (ack.status !== 200) throw new Error(`${job.command} ${job.text}: status ${ack.status}`);
          acks.push(performance.now() - t0);
          if (arrived) {
            await arrived;
            answers.push(performance.now() - t0);
            answered.delete(id);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { ack: percentiles(acks), answer: answers.length ? percentiles(answers) : null, perSecond: Math.round(next / seconds), requests: next };
  }

  process.on('message', (job: LoadJob) => {
    run(job).then(
      (result) => process.send!({ result }),
      (error: Error) => process.send!({ error: error.message }),
    );
  });
  process.send!({ ready: { apiUrl: fake.apiUrl } });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
