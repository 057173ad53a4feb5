import fc from 'fast-check';
import { SLASH_COMMANDS } from '../../src/domain/commands';
import { fixedClock } from '../../src/domain/clock';
import { loadPlanFiles } from '../../src/plans/plan-files';
import { openStore } from '../../src/store/client';
import { importPlans } from '../../src/store/import-plans';
import { httpBotEnv, listeningPort, SIGNING_SECRET, startBot, stop } from '../helpers/bot-process';
import { postSigned, startFakeSlack } from '../helpers/slack-stand-in';
import { IMPORTED_AT, scratchDatabase } from '../helpers/store';

/**
 * The hostile-input suite: thousands of random requests, each properly signed (so they get past the
 * signature and reach the listeners), of every kind Slack sends — slash commands, button presses,
 * modal submissions, events — with wrong types, missing fields, huge strings and odd Unicode, sent
 * to the bot as its own process on SQLite. None is from a permitted user (the admin and the one
 * lead owner never send), so afterwards the database must hold nothing any of them wrote.
 */

const REQUESTS = 5000;
const IN_FLIGHT = 64;
const ADMIN = 'U0ADMIN';
const OWNER = 'U0OWNER';

// Something of the wrong kind, in place of a field.
const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
/** Usually what Slack would send, sometimes junk, sometimes missing (undefined drops out of JSON). */
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 20, arbitrary: good }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.constant(undefined) });

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 3, arbitrary: fc.constantFrom('12', '12 done', '12 on-track note', '4 done commission', 'list', 'mine', 'LGA <@U0STRANGER>', 'DCMS clear', 'add 2017-06-01 10:00', 'cancel 2017-06-01', 'post', '2017-04', '12 reminders off', 'help', '') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('12 at-risk ', 'LGA ', 'add 2017-06-01 10:00 '), fc.string({ unit: 'grapheme', maxLength: 20 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', '𝔘', '\u202e', '\u0000', '<!channel>', '`'), fc.integer({ min: 100, max: 20_000 })).map(([unit, times]) => unit.repeat(times)) },
);
const stranger = fc.oneof(fc.constantFrom('U0STRANGER', 'U0NOBODY', 'W0GUEST', 'USLACKBOT', ''), fc.string({ unit: 'binary', maxLength: 12 }));
const ref = fc.oneof(fc.constantFrom('12', '4', 'LG3', 'W1-18a', '999', ''), fc.string({ maxLength: 10 }));
const responseUrl = (fakeResponse: string) => fc.oneof({ weight: 8, arbitrary: fc.constant(fakeResponse) }, { weight: 1, arbitrary: fc.constantFrom('http://127.0.0.2:9/steal', 'https://hooks.slack.com.evil.test/x', 'javascript:alert(1)') });
const json = (value: fc.Arbitrary<unknown>) => value.map((v) => JSON.stringify(v) ?? 'undefined');

const actionId = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('set-status:on-track', 'set-status:done', 'set-status:not-started', 'set-status:pwned', 'page:next', 'page:previous', 'reminder:status:done', 'reminder:status:pwned', 'reminder:snooze:1d', 'reminder:snooze:7d', 'reminder:off') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const actionValue = fc.oneof(
  ref,
  json(fc.record({ command: field(fc.constantFrom(...SLASH_COMMANDS)), text: field(text), page: field(fc.integer({ min: -5, max: 1e9 })) })),
  json(fc.record({ ref: field(ref), deadlineId: field(fc.integer()), recipient: field(fc.constantFrom(`user:${OWNER}`, 'channel:C0LEAD', 'unmapped:DCMS', 'user:U0SOMEONE')) })),
  json(fc.jsonValue({ maxDepth: 2 })),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const metadata = fc.oneof(
  json(fc.record({ ref: field(ref), status: field(fc.constantFrom('on-track', 'done', 'not-started', 'pwned', '')), responseUrl: field(fc.constantFrom('http://127.0.0.2:9/x', null)) })),
  json(fc.jsonValue({ maxDepth: 2 })),
  fc.string({ maxLength: 30 }),
);
const user = (id: fc.Arbitrary<unknown>) => field(fc.record({ id: field(id), team_id: fc.constant('T0FAKE') }));

type Request = { contentType: string; body: string };
const form = (fields: Record<string, unknown>): string =>
  new URLSearchParams(Object.entries(fields).flatMap(([key, value]) => (value === undefined ? [] : [[key, typeof value === 'string' ? value : JSON.stringify(value)] as [string, string]]))).toString();
const interaction = (payload: unknown): Request => ({ contentType: 'application/x-www-form-urlencoded', body: form({ payload: JSON.stringify(payload) }) });

function requests(fakeResponse: string): fc.Arbitrary<Request> {
  const command = fc
    .record({
      command: fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...SLASH_COMMANDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
      text: field(text),
      user_id: field(stranger),
      response_url: field(responseUrl(fakeResponse)),
      trigger_id: field(fc.string({ maxLength: 10 })),
      channel_id: field(fc.constantFrom('C0GENERAL', 'C0LEAD', 'D0DM')),
      team_id: fc.constant('T0FAKE'),
    })
    .map((fields): Request => ({ contentType: 'application/x-www-form-urlencoded', body: form(fields) }));
  const blockAction = fc
    .record({
      type: fc.constant('block_actions'),
      user: user(stranger),
      trigger_id: field(fc.string({ maxLength: 10 })),
      response_url: field(responseUrl(fakeResponse)),
      channel: field(fc.record({ id: field(fc.constantFrom('C0GENERAL', 'C0TASKFORCE', 'D0DM')) })),
      team: fc.constant({ id: 'T0FAKE' }),
      message: field(fc.record({ ts: fc.constant('1700000000.000001'), blocks: field(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 })) })),
      actions: field(fc.array(fc.record({ type: field(fc.constant('button')), action_id: field(actionId), block_id: fc.constant('b'), value: field(actionValue), action_ts: fc.constant('1') }), { minLength: 1, maxLength: 2 })),
    })
    .map(interaction);
  const viewSubmission = fc
    .record({
      type: fc.constant('view_submission'),
      user: user(stranger),
      team: fc.constant({ id: 'T0FAKE' }),
      view: field(
        fc.record({
          id: field(fc.string({ maxLength: 8 })),
          hash: field(fc.string({ maxLength: 8 })),
          callback_id: field(fc.oneof({ weight: 20, arbitrary: fc.constant('status-note') }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) })),
          private_metadata: field(metadata),
          state: field(fc.record({ values: field(fc.record({ note: field(fc.record({ 'note-input': field(fc.record({ value: field(text) })) })) })) })),
        }),
      ),
    })
    .map(interaction);
  const event = fc
    .record({
      type: fc.oneof({ weight: 10, arbitrary: fc.constant('event_callback') }, { weight: 1, arbitrary: fc.constantFrom('url_verification', 'app_rate_limited', 'nonsense') }),
      team_id: fc.constant('T0FAKE'),
      api_app_id: fc.constant('A0FAKE'),
      event_id: fc.string({ maxLength: 8 }).map((id) => `Ev${id}`),
      challenge: field(fc.string({ maxLength: 10 })),
      event: field(fc.record({ type: field(fc.constantFrom('app_home_opened', 'message', 'app_mention')), user: field(stranger), tab: field(fc.constantFrom('home', 'messages')), channel: field(fc.constant('D0DM')), text: field(text) })),
    })
    .map((envelope): Request => ({ contentType: 'application/json', body: JSON.stringify(envelope) }));
  const anything = fc.oneof(
    json(fc.jsonValue({ maxDepth: 3 })).map((body): Request => ({ contentType: 'application/json', body })),
    fc.string({ unit: 'binary', maxLength: 80 }).map((body): Request => ({ contentType: 'application/x-www-form-urlencoded', body })),
    json(fc.jsonValue({ maxDepth: 2 })).map((payload): Request => ({ contentType: 'application/x-www-form-urlencoded', body: form({ payload }) })),
  );
  return fc.oneof({ weight: 3, arbitrary: command }, { weight: 3, arbitrary: blockAction }, { weight: 3, arbitrary: viewSubmission }, { weight: 2, arbitrary: event }, { weight: 1, arbitrary: anything });
}

test('hostile input: 5,000 random signed requests of every kind; the bot stays up, answers each 2xx or 4xx, and writes nothing no permitted user asked for', async () => {
  const fake = await startFakeSlack();
  const database = await scratchDatabase('hostile-input');
  const seed = await openStore(database.url);
  await importPlans(seed.db, loadPlanFiles(), fixedClock(IMPORTED_AT));
  const dcms = await seed.db.lead.findUniqueOrThrow({ where: { name: 'DCMS' } });
  await seed.db.leadOwner.create({ data: { leadId: dcms.id, kind: 'user', slackId: OWNER, createdAt: IMPORTED_AT } });
  await seed.db.leadOwner.create({ data: { leadId: dcms.id, kind: 'channel', slackId: 'C0LEAD', createdAt: IMPORTED_AT } });
  await seed.close();
  const bot = await startBot(httpBotEnv(database.url, fake.apiUrl, { TASKFORCE_NOW: '2017-05-15T09:00', TASKFORCE_CHANNEL: 'C0TASKFORCE', TASKFORCE_ADMINS: ADMIN }));
  const port = listeningPort(bot.output());
  const url = `http://127.0.0.1:${port}/slack/events`;
  try {
    const all = fc.sample(requests(fake.responseUrl('fuzz')), { numRuns: REQUESTS, seed: 20261201 });
    const answers: { request: Request; status: number }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < all.length) {
          const request = all[next++];
          const response = await postSigned(url, SIGNING_SECRET, request.body, request.contentType);
          answers.push({ request, status: response.status });
        }
      }),
    );
    expect(answers).toHaveLength(REQUESTS);
    const bad = answers.filter(({ status }) => status < 200 || status >= 500 || (status >= 300 && status < 400));
    expect(bad.slice(0, 3)).toEqual([]);
    expect(bot.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  } finally {
    const code = await stop(bot.child); // finishes what was acknowledged first
    if (code !== 0) console.error(bot.output().slice(-3000));
    expect([code, bot.output().match(/TypeError|uncaught exception|unhandled rejection/g)]).toEqual([0, null]);
  }

  const store = await openStore(database.url);
  try {
    expect(await store.db.statusUpdate.findMany({ where: { actor: { not: 'import' } } })).toEqual([]);
    expect((await store.db.leadOwner.findMany()).map((owner) => owner.slackId).sort()).toEqual(['C0LEAD', OWNER]);
    expect(await store.db.meeting.findMany()).toEqual([]);
    expect(await store.db.snooze.findMany()).toEqual([]);
    expect(await store.db.planItem.findMany({ where: { remindersOffBy: { not: null } } })).toEqual([]);
  } finally {
    await store.close();
    await database.drop();
    await fake.close();
  }
}, 120_000);
