import { httpBotEnv, listeningPort, startBot, stop } from '../helpers/bot-process';
import { blockActionPayload, sendInteraction, sendSlashCommand, settle, startFakeSlack } from '../helpers/slack-stand-in';
import { scratchDatabase } from '../helpers/store';

const FLOODER = 'U0FLOOD';
const FLOOD_COMMANDS = 300;
const FLOOD_PAGES = 100;
const SAMPLES = 20;
const SPACING_MS = 60;

function p95(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1];
}

// SQLite only: the figures compare one process against itself, and SQLite keeps it to one thread.
describe("issue 12 item 6: one user can delay everyone's answers", () => {
  test("while one user floods the bot with /overdue and page: clicks, other users' answers stay within 2x of idle", async () => {
    const fake = await startFakeSlack();
    const database = await scratchDatabase('fair-share');
    const env = httpBotEnv(database.url, fake.apiUrl, { TASKFORCE_NOW: '2017-05-15T09:00', TASKFORCE_CHANNEL: 'C0TASKFORCE' });
    const bot = await startBot(env);
    try {
      const url = `http://127.0.0.1:${listeningPort(bot.output())}/slack/events`;
      let next = 0;
      /** Another user's /overdue: ms from sending it to its answer reaching Slack. */
      async function othersAnswer(userId: string): Promise<number> {
        const id = `other-${++next}`;
        const sent = Date.now();
        await sendSlashCommand(url, env.SLACK_SIGNING_SECRET, { command: '/overdue', text: '', user_id: userId, response_url: fake.responseUrl(id) });
        const answer = await fake.waitFor(() => fake.responses(id)[0], 30_000);
        expect(answer.body.text).toBe('24 deadlines overdue');
        return answer.at - sent;
      }
      /** Everyone else, as the same pattern each time: a command every SPACING_MS, each from another person. */
      const others = () =>
        Promise.all(
          Array.from({ length: SAMPLES }, async (_, n) => {
            await new Promise((resolve) => setTimeout(resolve, n * SPACING_MS));
            return othersAnswer(`U0OTHER${n}`);
          }),
        );
      // Warm: the catch-up sweep done and the code paths run.
      await others();
      await settle(fake, 500);
      const idle = await others();

      const flood = [
        ...Array.from({ length: FLOOD_COMMANDS }, (_, n) =>
          sendSlashCommand(url, env.SLACK_SIGNING_SECRET, { command: '/overdue', text: '', user_id: FLOODER, response_url: fake.responseUrl(`flood-${n}`) }),
        ),
        ...Array.from({ length: FLOOD_PAGES }, (_, n) =>
          sendInteraction(
            url,
            env.SLACK_SIGNING_SECRET,
            blockActionPayload({ userId: FLOODER, actionId: 'page:next', value: JSON.stringify({ command: '/overdue', text: '', page: 1 }), responseUrl: fake.responseUrl(`flood-${FLOOD_COMMANDS + n}`) }),
          ),
        ),
      ];
      const floodAnswers = () => Array.from({ length: FLOOD_COMMANDS + FLOOD_PAGES }, (_, n) => fake.responses(`flood-${n}`)[0]).filter(Boolean).length;
      // Everyone else starts once the flood is acknowledged: from then on it is the bot's backlog.
      expect((await Promise.all(flood)).filter((ack) => ack.status !== 200)).toEqual([]);
      const busy = await others();
      const answeredMeanwhile = floodAnswers();

      console.log(
        `one user's ${FLOOD_COMMANDS + FLOOD_PAGES} requests in flight: other users' /overdue answered in p95 ${p95(busy)} ms, against ${p95(idle)} ms idle ` +
          `(${(p95(busy) / p95(idle)).toFixed(2)}x); ${answeredMeanwhile} of the flood answered by then`,
      );
      expect(answeredMeanwhile).toBeLessThan(FLOOD_COMMANDS + FLOOD_PAGES);
      expect(p95(busy)).toBeLessThanOrEqual(2 * p95(idle));
      // … and the flood is answered in full all the same, commands and pages alike.
      await fake.waitFor(() => floodAnswers() === FLOOD_COMMANDS + FLOOD_PAGES || null, 60_000);
      expect(fake.responses(`flood-${FLOOD_COMMANDS}`)[0].body).toMatchObject({ replace_original: true, text: '24 deadlines overdue' });
      expect(await stop(bot.child)).toBe(0);
    } finally {
      bot.child.kill('SIGKILL');
      await fake.close();
      await database.drop();
    }
  }, 90_000);
});
