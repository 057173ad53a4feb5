/**
 * The other side of `npm run bench`, in its own process so that it does not share the bot's
 * threads: it fires signed slash commands at the bot, and learns from Slack's stand-in (in a
 * process of its own, slack-process.ts) when each answer arrived. Driven over IPC by bench.ts.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { sendSlashCommand } from '../test/helpers/slack-stand-in';
import { monotonicMs } from './monotonic';
import type { FromSlackProcess } from './slack-process';

export interface LoadJob {
  url: string;
  secret: string;
  command: string;
  /** The command's text; `{n}` becomes the request's number. */
  text: string;
  concurrency: number;
  /** At least this many requests… */
  total: number;
  /** … and for at least this long. */
  minimumMs?: number;
  /** Wait for each answer at its response_url too (the full app answers there, not in the ack). */
  answers: boolean;
  /** Who sends: each concurrent sender is its own person, as in a real workspace. */
  users: readonly string[];
}

/** One stretch of load: every latency, and what was completed while all the senders were at it. */
export interface LoadSample {
  /** Each request's ack, in ms from sending it. */
  acks: number[];
  /** From sending the command to its answer arriving at the response_url, in ms. */
  answers: number[];
  /**
   * Requests completed (acknowledged, and answered if asked) while every sender was still sending,
   * and that span in seconds: a throughput of the steady state, without the tail of the last
   * requests still under way once no more are sent.
   */
  completed: number;
  seconds: number;
}

async function startSlackProcess() {
  const child = fork(path.join(__dirname, 'slack-process.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.once('exit', (code) => {
    console.error(`Slack's stand-in exited (${code})`);
    process.exit(1);
  });
  const waiting = new Map<string, (atMs: number) => void>();
  let onReset: (() => void) | null = null;
  const ready = new Promise<{ apiUrl: string; responseBase: string }>((resolve) => {
    child.on('message', (message: FromSlackProcess) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'reset') onReset?.();
      else waiting.get(message.id)?.(message.atMs);
    });
  });
  const { apiUrl, responseBase } = await ready;
  return {
    apiUrl,
    responseUrl: (id: string) => `${responseBase}${id}`,
    /** When the answer to `id` arrives, on the monotonic clock. */
    answerTo: (id: string) =>
      new Promise<number>((resolve) =>
        waiting.set(id, (atMs) => {
          waiting.delete(id);
          resolve(atMs);
        }),
      ),
    /** Forgets what the stand-in recorded (it keeps every call). */
    reset: () =>
      new Promise<void>((resolve) => {
        onReset = resolve;
        child.send({ type: 'reset' });
      }),
  };
}

async function main() {
  const slack = await startSlackProcess();
  let batch = 0;

  async function run(job: LoadJob): Promise<LoadSample> {
    await slack.reset();
    batch++;
    const acks: number[] = [];
    const answers: number[] = [];
    const completedAt: number[] = [];
    let next = 0;
    let lastSent = Infinity;
    const started = monotonicMs();
    const more = () => next < job.total || monotonicMs() - started < (job.minimumMs ?? 0);
    await Promise.all(
      Array.from({ length: job.concurrency }, async (_, sender) => {
        while (more()) {
          const n = next++;
          const id = `b${batch}-${n}`;
          const arrived = job.answers ? slack.answerTo(id) : null;
          const t0 = monotonicMs();
          const ack = await sendSlashCommand(job.url, job.secret, { command: job.command, text: job.text.replace('{n}', String(n)), user_id: job.users[sender % job.users.length], response_url: slack.responseUrl(id) });
          if (ack.status !== 200) throw new Error(`${job.command} ${job.text}: status ${ack.status}`);
          const acked = monotonicMs();
          acks.push(acked - t0);
          const done = arrived ? await arrived : acked;
          if (arrived) answers.push(done - t0);
          completedAt.push(done);
        }
        // The first sender to stop ends the steady state: from here fewer are sending.
        lastSent = Math.min(lastSent, monotonicMs());
      }),
    );
    return { acks, answers, completed: completedAt.filter((at) => at <= lastSent).length, seconds: (lastSent - started) / 1000 };
  }

  process.on('message', (job: LoadJob) => {
    run(job).then(
      (sample) => process.send!({ sample }),
      (error: Error) => process.send!({ error: error.message }),
    );
  });
  process.send!({ ready: { apiUrl: slack.apiUrl } });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
