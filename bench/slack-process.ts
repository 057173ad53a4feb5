/**
 * Slack's side of the bench's command load, in a process of its own (forked by load-client.ts):
 * the Web API and every response_url. It tells the load client over IPC when each answer arrived,
 * on the machine's monotonic clock, which every process shares.
 *
 * It used to run on the load client's thread. Then the bot's calls to Slack (each answer, and each
 * update's announcement in the channel) were handled on the thread that timed the next command's
 * ack, which was timed late whenever that thread was busy with them. Bare Bolt makes no calls, so
 * only the bot's acks were timed so.
 */
import { startFakeSlack } from '../test/helpers/slack-stand-in';
import { monotonicMs } from './monotonic';

export type ToSlackProcess = { type: 'reset' };
export type FromSlackProcess = { type: 'ready'; apiUrl: string; responseBase: string } | { type: 'reset' } | { type: 'answered'; id: string; atMs: number };

async function main() {
  const fake = await startFakeSlack();
  const tell = (message: FromSlackProcess) => process.send!(message);
  // The stand-in records calls; the load client only needs to know when each answer arrived.
  const record = fake.calls.push.bind(fake.calls);
  fake.calls.push = (...calls) => {
    const atMs = monotonicMs();
    for (const call of calls) if (call.kind === 'response') tell({ type: 'answered', id: call.method, atMs });
    return record(...calls);
  };
  process.on('message', (message: ToSlackProcess) => {
    if (message.type !== 'reset') return;
    fake.reset();
    tell({ type: 'reset' });
  });
  process.on('disconnect', () => process.exit(0));
  tell({ type: 'ready', apiUrl: fake.apiUrl, responseBase: fake.responseUrl('') });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
