import { LogLevel } from '@slack/bolt';
import { fixedClock } from '../../src/domain/clock';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { startSlackApp, type RunningSlackApp } from '../../src/slack/app';
import { findItem } from '../../src/store/tracked-items';
import { startFakeSlack, type FakeSlack, sendInteraction, sendSlashCommand, viewSubmissionPayload } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

/**
 * What people type, through the real app over signed HTTP: Slack's escaping undone once and
 * done once, typos answered with what was meant, owners named as Slack sends them, control
 * characters and emoji in notes.
 */
const SECRET = 'test-signing-secret-0123456789';
const ADMIN = 'U0ADMIN';
const CHANNEL = 'C0TASKFORCE';
const NOW = new Date('2017-05-15T08:00:00Z');

type Message = { text: string; blocks: { type: string; text?: { text: string }; elements?: { text?: string }[] }[] };

function readable(message: Message): string {
  return message.blocks.flatMap((block) => [block.text?.text ?? '', ...(block.elements ?? []).map((element) => element.text ?? '')]).join('\n');
}

describe('what people type, in Slack', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp;
  let appUrl: string;
  let sent = 0;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());

  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    running = await startSlackApp(
      {
        databaseUrl: store.url,
        timeZone: TIME_ZONE,
        fixedNow: NOW,
        channel: CHANNEL,
        admins: [ADMIN],
        slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
        reminders: DEFAULT_REMINDER_SETTINGS,
        digest: DEFAULT_DIGEST_SCHEDULE,
      },
      store,
      fixedClock(NOW),
      { logLevel: LogLevel.ERROR },
    );
    appUrl = `http://127.0.0.1:${running.port}/slack/events`;
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
  });

  /** A slash command as Slack sends it (`text` already escaped the way Slack escapes it). */
  async function command(name: string, text: string, userId = ADMIN): Promise<Message> {
    const id = `r${++sent}`;
    await sendSlashCommand(appUrl, SECRET, { command: name, text, user_id: userId, response_url: fake.responseUrl(id), trigger_id: `t${sent}` });
    return (await fake.waitFor(() => fake.responses(id)[0])).body as unknown as Message;
  }

  async function submitNote(note: string) {
    const metadata = JSON.stringify({ ref: '12', status: 'at-risk', responseUrl: null });
    const response = await sendInteraction(
      appUrl,
      SECRET,
      viewSubmissionPayload({ userId: ADMIN, callbackId: 'status-note', privateMetadata: metadata, values: { note: { 'note-input': { type: 'plain_text_input', value: note } } } }),
    );
    return response.body ? (JSON.parse(response.body) as { response_action?: string; errors?: Record<string, string> }) : {};
  }

  const history = async () => (await findItem(store.db, '12'))!.history;

  describe('issue 11 point 6: typos get the nearest status or sub-command', () => {
    test('/action 12 ontrak asks "did you mean on-track?" and saves nothing', async () => {
      const reply = await command('/action', '12 ontrak');
      expect(reply.text).toBe('"ontrak" isn\'t a status. Did you mean on-track? Nothing was saved.');
      expect(await history()).toHaveLength(1);
    });

    test('/action 12 remind off is not read as a status: it points to reminders off', async () => {
      const reply = await command('/action', '12 remind off');
      expect(reply.text).toBe('There is no `/action 12 remind`. Did you mean `/action 12 reminders off`? Nothing was changed.');
      expect((await findItem(store.db, '12'))!.remindersOffBy).toBeNull();
      expect(readable(await command('/meeting', 'ad 2017-05-26 14:00'))).toContain('Did you mean `/meeting add`?');
    });
  });

  describe('issue 11 point 7: /lead with mentions as Slack sends them', () => {
    test('the README example, typed in Slack, arrives as mentions and maps the lead', async () => {
      const reply = await command('/lead', 'Arts Council England <@U0ANN|ann> <@U0BOB|bob>');
      expect(reply.text).toBe('Arts Council England is now owned by <@U0ANN>, <@U0BOB>');
      const owners = await store.db.leadOwner.findMany({ where: { lead: { name: 'Arts Council England' } }, orderBy: { id: 'asc' } });
      expect(owners.map((owner) => owner.slackId)).toEqual(['U0ANN', 'U0BOB']);
    });

    test('a name Slack did not turn into a mention is refused, saying how to make one, and nothing changes', async () => {
      const reply = await command('/lead', 'Arts Council England <@U0ANN|ann> @nobody');
      expect(reply.text).toBe(
        '"@nobody" isn\'t a mention Slack recognised. Type @ and pick each person or user group from Slack\'s list (or # for a channel) so that it becomes a mention, e.g. `/lead Arts Council England @ann @bob`. Nothing was changed.',
      );
      expect(await store.db.leadOwner.count()).toBe(0);
    });
  });

  describe('issue 11 point 8: escaped once, one line where one line is shown', () => {
    test('a note Slack escaped is stored as typed, and escaped once in the reply and the announcement', async () => {
      // Typed: "waiting on A & B <by June> cc @dee".
      const reply = await command('/action', '12 at-risk waiting on A &amp; B &lt;by June&gt; cc <@U0DEE|dee>');
      expect((await history()).at(-1)!.note).toBe('waiting on A & B <by June> cc @dee');
      expect(readable(reply)).toContain('> waiting on A &amp; B &lt;by June&gt; cc @dee');
      expect(readable(reply)).not.toContain('&amp;lt;');
      const post = await fake.waitFor(() => fake.apiCalls('chat.postMessage')[0]);
      expect(post.body.text).toBe(`<@${ADMIN}> marked *12* Ensure that the projects delivered through the £4 million 'Libraries… as At risk: waiting on A &amp; B &lt;by June&gt; cc @dee`);
    });

    test('what was typed and refused is echoed escaped and cut to 100 characters', async () => {
      const reply = await command('/overdue', `&lt;b&gt;${'x'.repeat(200)}`);
      const echoed = /There is no lead called "([^"]*)"/.exec(reply.text)![1];
      expect(echoed.startsWith('&lt;b&gt;xxx')).toBe(true);
      expect(echoed.endsWith('x…')).toBe(true);
      expect([...echoed.replace(/&[lg]t;/g, '<')].length).toBe(100);
    });

    test('a modal note keeps its line breaks when stored, and cannot fake a line of its own where it is shown', async () => {
      expect(await submitNote('first line\n12:00 · fake line · <@U0BOSS>')).toEqual({});
      expect((await history()).at(-1)!.note).toBe('first line\n12:00 · fake line · <@U0BOSS>');
      const post = await fake.waitFor(() => fake.apiCalls('chat.postMessage')[0]);
      expect(post.body.text).toBe(`<@${ADMIN}> marked *12* Ensure that the projects delivered through the £4 million 'Libraries… as At risk: first line 12:00 · fake line · &lt;@U0BOSS&gt;`);
      const updates = readable(await command('/action', '12')).split('\n').filter((line) => line.includes('first line'));
      expect(updates).toEqual([expect.stringMatching(/· <@U0ADMIN> — first line 12:00 · fake line · &lt;@U0BOSS&gt;$/)]);
    });
  });

  describe('issue 12 item 10: control characters in notes', () => {
    test('a NUL in a slash command note is refused with a clear reply, and nothing is stored', async () => {
      const reply = await command('/action', '12 at-risk funding\u0000 decision');
      expect(reply.text).toBe("That has an invisible control character in it (U+0000), which can't be stored. Nothing was saved: type it again without it.");
      expect(await history()).toHaveLength(1);
      expect(fake.apiCalls('chat.postMessage')).toEqual([]);
    });

    test('in the modal, a control character is refused in the modal; a tab and line breaks are kept', async () => {
      expect(await submitNote('bell\u0007 here')).toEqual({
        response_action: 'errors',
        errors: { note: "That has an invisible control character in it (U+0007), which can't be stored. Nothing was saved: type it again without it." },
      });
      expect(await history()).toHaveLength(1);
      expect(await submitNote('a\tb\nc')).toEqual({});
      expect((await history()).at(-1)!.note).toBe('a\tb\nc');
    });
  });

  describe('issue 12 item 11: notes are counted in characters people see', () => {
    const thumbs = '👍🏽'; // one character on screen, four UTF-16 units

    test('a slash command note of 500 emoji is taken; 501 are refused with the count', async () => {
      const refused = await command('/action', `12 on-track ${thumbs.repeat(501)}`);
      expect(refused.text).toBe('That note is 501 characters; the limit is 500. Nothing was saved: shorten it and send it again.');
      expect(await history()).toHaveLength(1);
      const saved = await command('/action', `12 on-track ${thumbs.repeat(500)}`);
      expect(saved.text).toBe('Saved: 12 is now On track');
      expect((await history()).at(-1)!.note).toBe(thumbs.repeat(500));
    });

    test('the modal takes 300 emoji, and refuses 501 saying 501', async () => {
      expect(await submitNote(thumbs.repeat(300))).toEqual({});
      expect((await history()).at(-1)!.note).toBe(thumbs.repeat(300));
      expect((await submitNote(thumbs.repeat(501))).errors).toEqual({ note: 'That note is 501 characters; the limit is 500. Nothing was saved: shorten it and send it again.' });
    });
  });
});
