import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAckThread } from '../../src/slack/ack-thread';
import type { RunningSlackApp } from '../../src/slack/app';
import { SECRET, startTestApp } from '../helpers/slack-app';
import { blockActionPayload, sendInteraction, settle, signature, startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { findItem } from '../../src/store/tracked-items';
import { freshStore } from '../helpers/store';

const NOW = new Date('2017-05-15T08:00:00Z');
/** How long the main thread is held at most: far past any ack, so that only an ack can end the hold. */
const HOLD_LIMIT_MS = 15_000;

/**
 * A process of its own that posts one signed request and writes its status to `file` when the
 * answer comes: the test's own thread, which the bot's main thread is, will be held meanwhile.
 */
function postFromAnotherProcess(url: string, body: string, file: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature(SECRET, timestamp, body),
  };
  // Written aside, then renamed into place: the file appears with its status in it, never empty.
  const script = `const fs = require('node:fs');
    fetch(${JSON.stringify(url)}, { method: 'POST', headers: ${JSON.stringify(headers)}, body: ${JSON.stringify(body)} })
      .then((response) => { fs.writeFileSync(${JSON.stringify(`${file}.part`)}, String(response.status)); fs.renameSync(${JSON.stringify(`${file}.part`)}, ${JSON.stringify(file)}); })`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

/** Blocks this thread, as a long synchronous task would (a chart, a sweep's SQLite reads): until `file` exists, or the limit. */
function holdThreadUntil(file: string, limitMs: number): boolean {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + limitMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > until) return false;
    Atomics.wait(pause, 0, 0, 10);
  }
  return true;
}

describe("issue 15: Slack's requests are acknowledged by a thread of their own", () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp & { url: string };

  beforeAll(async () => {
    fake = await startFakeSlack();
    store = await freshStore();
    running = await startTestApp(fake, store, NOW);
  });
  afterAll(async () => {
    await running.stop();
    await store.close();
    await fake.close();
  });

  test('a command is acknowledged while the main thread is busy, then answered once it is free', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ack-thread-')), 'acknowledged');
    const body = new URLSearchParams({ command: '/action', text: '12', user_id: 'U0ADMIN', response_url: fake.responseUrl('busy'), trigger_id: 'trigger-busy' }).toString();
    const sender = postFromAnotherProcess(running.url, body, file);
    const exited = new Promise((resolve) => sender.once('exit', resolve));
    // Nothing on this thread runs while it is held: not the bot's listeners, not its HTTP server
    // (before, Slack's requests were accepted there), not the Slack stand-in.
    const acknowledgedMeanwhile = holdThreadUntil(file, HOLD_LIMIT_MS);
    expect(acknowledgedMeanwhile).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('200');
    expect(fake.responses('busy')).toEqual([]);
    const answer = await fake.waitFor(() => fake.responses('busy')[0], 20_000);
    expect(String(answer.body.text)).toMatch(/^12: Not started — Ensure that the projects delivered/);
    await exited;
  }, 60_000);

  test('a signed click whose fields are not the shapes Slack sends is acknowledged, then dropped: nothing runs, nothing changes, the bot goes on', async () => {
    const before = (await findItem(store.db, '12'))!.history.length;
    const click = blockActionPayload({ userId: 'U0ADMIN', actionId: 'set-status:done', value: '12', responseUrl: fake.responseUrl('misshapen') });
    // A value that is not a string: the listener would carry it out as a damaged button, and say so.
    const misshapen = { ...click, actions: click.actions.map((action) => ({ ...action, value: { ref: '12' } })) };
    expect((await sendInteraction(running.url, SECRET, misshapen)).status).toBe(200);
    await settle(fake, 300);
    expect(fake.responses('misshapen')).toEqual([]);
    expect(fake.apiCalls('views.open')).toEqual([]);
    expect((await findItem(store.db, '12'))!.history).toHaveLength(before);
    // The same click as Slack sends it is carried out.
    expect((await sendInteraction(running.url, SECRET, click)).status).toBe(200);
    await fake.waitFor(() => fake.apiCalls('views.open')[0], 10_000);
  });

  test('a port already taken fails the start with the reason, and the bot holding it goes on', async () => {
    const noEvents = { request() {}, acknowledged() {}, log() {}, failed() {} };
    const started = startAckThread({ port: running.port!, signingSecret: SECRET, mainPort: 1, bodyLimit: 1024 }, noEvents);
    await expect(started).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // The bot that holds the port is untouched.
    expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
  });
});
