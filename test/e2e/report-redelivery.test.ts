import type { RunningSlackApp } from '../../src/slack/app';
import { ADMIN, SECRET, startTestApp } from '../helpers/slack-app';
import { sendSlashCommand, settle, startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { freshStore } from '../helpers/store';

const NOW = new Date('2017-04-20T09:00:00Z');
const REPORT = 'The draft progress report for 2016-11 to 2017-04';
/** Each /report prints its PDF in Chromium first: seconds on a busy machine. */
const REPORT_WAIT_MS = 20_000;

describe('issue 12 item 13: the same signed /report sent twice uploads once', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp & { url: string };

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    running = await startTestApp(fake, store, NOW);
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
  });

  const report = (triggerId: string, responseId: string) =>
    sendSlashCommand(running.url, SECRET, { command: '/report', text: '', user_id: ADMIN, response_url: fake.responseUrl(responseId), trigger_id: triggerId });
  const uploads = () => fake.apiCalls('files.completeUploadExternal').length;

  test('delivered twice at once (one trigger_id): uploaded once, both deliveries answered', async () => {
    await Promise.all([report('trigger-report', 'twice'), report('trigger-report', 'twice')]);
    const answers = await fake.waitFor(() => (fake.responses('twice').length === 2 ? fake.responses('twice') : null), REPORT_WAIT_MS);
    expect(answers.map((call) => String(call.body.text).slice(0, REPORT.length))).toEqual([REPORT, REPORT]);
    await settle(fake, 300);
    expect(uploads()).toBe(1);
  });

  test('delivered again after the first was answered: not uploaded again; a new /report (a new trigger_id) is', async () => {
    await report('trigger-first', 'first');
    expect((await fake.waitFor(() => fake.responses('first')[0], REPORT_WAIT_MS)).body.text).toBe(`${REPORT} is in <#C0TASKFORCE>.`);
    // Issue 14: the Markdown draft, the HTML page and its PDF, shared together in one upload.
    const base = 'progress-report-2016-11-to-2017-04';
    expect(fake.apiCalls('files.getUploadURLExternal').map((call) => call.body.filename)).toEqual([`${base}.md`, `${base}.html`, `${base}.pdf`]);
    const shared = fake.apiCalls('files.completeUploadExternal')[0].body.files as { title: string }[];
    expect(shared.map((file) => file.title)).toEqual([
      'Progress report draft, 2016-11 to 2017-04 (Markdown, to edit)',
      'Progress report, 2016-11 to 2017-04 (HTML, to publish)',
      'Progress report, 2016-11 to 2017-04 (PDF, to print)',
    ]);
    // Each upload is a multipart form with the file in it.
    const sent = fake.apiCalls('upload').map((call) => String(call.body.raw));
    expect(sent[0]).toMatch(/\n# Progress report: November 2016 to April 2017 \(draft\)/);
    expect(sent[1]).toMatch(/\n<!DOCTYPE html>[^]*<h1>Progress report: November 2016 to April 2017<\/h1>/);
    expect(sent[2]).toMatch(/\n%PDF-/);
    await report('trigger-first', 'again');
    expect((await fake.waitFor(() => fake.responses('again')[0], REPORT_WAIT_MS)).body.text).toBe(`${REPORT} is already on its way to the channel (the same request arrived twice; it is posted once).`);
    expect(uploads()).toBe(1);
    await report('trigger-second', 'second');
    await fake.waitFor(() => fake.responses('second')[0], REPORT_WAIT_MS);
    expect(uploads()).toBe(2);
  });

  test('an upload that failed is not remembered: the same request may go again', async () => {
    fake.failNext('files.getUploadURLExternal', { body: { ok: false, error: 'internal_error' } });
    await report('trigger-flaky', 'failed');
    expect((await fake.waitFor(() => fake.responses('failed')[0], REPORT_WAIT_MS)).body.text).toMatch(/nothing was saved and nothing changed\. Please try again/);
    await report('trigger-flaky', 'retried');
    expect((await fake.waitFor(() => fake.responses('retried')[0], REPORT_WAIT_MS)).body.text).toBe(`${REPORT} is in <#C0TASKFORCE>.`);
    expect(uploads()).toBe(1);
  });
});
