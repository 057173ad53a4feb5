import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SlackPayload } from './http-guard';

/** What the thread that acknowledges requests is started with. */
export interface AckThreadSettings {
  /** The bot's HTTP port (0: any free one). */
  port: number;
  signingSecret: string;
  /** Where the main thread's own server listens, on 127.0.0.1, for what the thread passes on. */
  mainPort: number;
  bodyLimit: number;
}

/** A request the thread acknowledged, for the main thread to carry out: as Bolt's receiver would give it. */
export interface AcknowledgedRequest extends SlackPayload {
  type: 'request';
  /** For the log: its trigger_id or event_id. */
  key: string;
  retryNum: number | undefined;
  retryReason: string | undefined;
  ackSeconds: number;
}

export type FromAckThread =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string; code: string | undefined }
  | AcknowledgedRequest
  /** A request passed on to the main thread (a modal's submission, a URL check) was answered. */
  | { type: 'acknowledged'; seconds: number }
  | { type: 'log'; level: 'warn' | 'error'; line: string }
  | { type: 'closed' };

export type ToAckThread = { type: 'stop' };

export interface AckThreadEvents {
  request(request: AcknowledgedRequest): void;
  acknowledged(seconds: number): void;
  log(level: 'warn' | 'error', line: string): void;
  /** The thread stopped while the bot was serving: nothing reaches the bot any more. */
  failed(error: Error): void;
}

/**
 * The worker's program: compiled, a .js beside this one; run from source (npm start, the tests),
 * a .ts that tsx compiles in the worker too.
 */
function startWorker(settings: AckThreadSettings): Worker {
  const program = path.join(__dirname, `ack-worker${path.extname(__filename)}`);
  if (program.endsWith('.js')) return new Worker(program, { workerData: settings });
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(program)});`, { eval: true, workerData: settings });
}

/**
 * Starts the thread that owns the bot's HTTP port and acknowledges Slack's requests
 * (ack-worker.ts). Resolves once it listens, with the port; `stop` stops it taking requests and
 * resolves once every request it acknowledged has been handed over.
 */
export function startAckThread(settings: AckThreadSettings, on: AckThreadEvents): Promise<{ port: number; stop(): Promise<void> }> {
  const worker = startWorker(settings);
  let stopping: Promise<void> | null = null;
  let closed = false;
  return new Promise((resolve, reject) => {
    let listening = false;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      if (listening) on.failed(error);
      else reject(error);
    };
    const stopped = new Promise<void>((done) => {
      worker.on('message', (message: FromAckThread) => {
        switch (message.type) {
          case 'listening':
            listening = true;
            resolve({ port: message.port, stop });
            return;
          case 'failed':
            fail(Object.assign(new Error(message.message), { code: message.code }));
            void worker.terminate();
            return;
          case 'request':
            on.request(message);
            return;
          case 'acknowledged':
            on.acknowledged(message.seconds);
            return;
          case 'log':
            on.log(message.level, message.line);
            return;
          case 'closed':
            closed = true;
            done();
            void worker.terminate();
            return;
        }
      });
      worker.once('exit', (code) => {
        done();
        if (!closed) fail(new Error(`the thread that acknowledges Slack's requests stopped (exit code ${code})`));
      });
    });
    worker.once('error', fail);
    function stop(): Promise<void> {
      stopping ??= (() => {
        worker.postMessage({ type: 'stop' } satisfies ToAckThread);
        return stopped;
      })();
      return stopping;
    }
  });
}
