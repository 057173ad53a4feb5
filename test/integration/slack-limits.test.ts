import { refusalLimiter } from '../../src/taskforce/refusals';
import { fixedClock } from '../../src/domain/clock';
import { NOTE_LIMIT, SLASH_COMMANDS, type SlackTarget } from '../../src/domain/commands';
import { assessItem, partsProgress, statusAsOf } from '../../src/domain/deadlines';
import { reminderNotices, summaryNotice, type Audience, type ItemFacts } from '../../src/domain/notices';
import type { PlannedSend, Recipient } from '../../src/domain/reminders';
import { SETTABLE_STATUSES } from '../../src/domain/statuses';
import { itemTitle } from '../../src/domain/titles';
import { digestFor } from '../../src/jobs/digests';
import { escape, formatDay, oneLine, type Reply } from '../../src/slack/blocks/common';
import { digestPages } from '../../src/slack/blocks/digest';
import { historyBlocks, itemBlocks, itemListBlocks, overdueBlocks, upcomingBlocks, updatedBlocks } from '../../src/slack/blocks/items';
import {
  digestPreviewBlocks,
  errorBlocks,
  helpBlocks,
  homeView,
  leadMappedBlocks,
  leadsBlocks,
  meetingsBlocks,
  reportPublishedBlocks,
  statusModal,
} from '../../src/slack/blocks/others';
import { reminderBlocks } from '../../src/slack/blocks/reminders';
import { loadTrackingRecords, itemTexts, recordStatus } from '../../src/store/tracked-items';
import { emptyDirectory, silentAnnouncer, type Taskforce } from '../../src/taskforce/context';
import { dashboard, listItems, overdueReport, upcomingReport, updateStatus, viewItem } from '../../src/taskforce/items';
import { listLeads, mapLead } from '../../src/taskforce/leads';
import { upcomingMeetings } from '../../src/taskforce/meetings';
import { countedAsMore, missingFrom, slackLimitProblems, type Surface } from '../helpers/slack-limits';
import { freshStore, TIME_ZONE } from '../helpers/store';

/**
 * Every message builder, fed the largest real cases: the whole plan overdue (as of the end of
 * 2021, nothing done), a 500-character note with emoji and markup on every update, every lead
 * mapped to several users, groups and channels. Each output must fit Slack's limits, and show
 * what it was given (or count what it left out, with the command that shows it).
 */
const AS_OF = new Date('2021-12-31T09:00:00Z');
const ADMIN = 'U0ADMIN';
const OWNER = 'U0OWNER1';
const MEETING = new Date('2021-12-31T14:00:00Z');

/** 500 characters as a person sees them (an emoji is one), with everything Slack's mrkdwn reads as markup. */
function bigNote(label: string): string {
  return Array.from(`${label} ${'Funding & sign-off 🎉 *bold* <http://x|y> & <@U1> _it_ '.repeat(20)}`).slice(0, 500).join('');
}

/** What a line shows of a note: escaped once, on one line. */
const shown = (note: string) => escape(oneLine(note));

function expectWithinLimits(reply: { text?: unknown; blocks?: unknown }, surface: Surface = 'message') {
  expect({ problems: slackLimitProblems(reply as Parameters<typeof slackLimitProblems>[0], surface) }).toEqual({ problems: [] });
}

/** Every page of a paged reply, following "Page x of y". */
function allPages(build: (page: number) => Reply): Reply[] {
  const first = build(1);
  const count = Number(/Page 1 of (\d+)/.exec(JSON.stringify(first.blocks))?.[1] ?? 1);
  return [first, ...Array.from({ length: count - 1 }, (_, i) => build(i + 2))];
}

describe("every message builder within Slack's limits, on the largest real cases", () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let taskforce: Taskforce;
  const paging = (command: (typeof SLASH_COMMANDS)[number], text: string) => (page: number) => ({ command, text, page });

  beforeAll(async () => {
    store = await freshStore();
    taskforce = {
      db: store.db,
      clock: fixedClock(AS_OF),
      timeZone: TIME_ZONE,
      admins: new Set([ADMIN]),
      announcer: silentAnnouncer,
      directory: emptyDirectory,
      refusals: refusalLimiter(),
      publisher: { postDigest: async () => 'posted', publishFiles: async () => 'in <#C0TASKFORCE>', publishChart: async () => 'sent to you in a direct message from the bot' },
      quietDays: 60,
    };
    // Meetings every two months through the plan: "every meeting" deadlines fall due at each.
    const meetings = [];
    for (let year = 2017; year <= 2021; year++) for (const month of ['02', '04', '06', '08', '10']) meetings.push(new Date(`${year}-${month}-20T13:00:00Z`));
    meetings.push(MEETING);
    await store.db.meeting.createMany({ data: meetings.map((startsAt) => ({ startsAt, note: bigNote('meeting'), createdBy: ADMIN, createdAt: new Date('2016-12-01T00:00:00Z') })) });
    // Every lead: three people, a user group and a channel.
    for (const [index, lead] of (await listLeads(taskforce)).entries()) {
      const owners: SlackTarget[] = [
        { kind: 'user', slackId: OWNER },
        { kind: 'user', slackId: `U0OWNER${index}A` },
        { kind: 'user', slackId: `U0OWNER${index}B` },
        { kind: 'usergroup', slackId: `S0GROUP${index}` },
        { kind: 'channel', slackId: `C0LEAD${index}` },
      ];
      await mapLead(taskforce, ADMIN, lead.name, owners);
    }
    // Three long notes on every item since the last meeting (none done), forty on item 12.
    const items = await loadTrackingRecords(store.db);
    for (const item of items) {
      const count = item.ref === '12' ? 40 : 3;
      for (let n = 0; n < count; n++) {
        const at = new Date(Date.UTC(2021, 10, 1 + (n % 28), 9, n));
        await recordStatus(store.db, { itemId: item.id, status: SETTABLE_STATUSES[n % 4], note: bigNote(`${item.ref}#${n}`), actor: OWNER, source: 'command', at });
      }
    }
  }, 120_000);
  afterAll(() => store.close());

  test('reminders: one message per audience with every line due, what does not fit counted', async () => {
    const items = await loadTrackingRecords(store.db);
    const texts = await itemTexts(store.db, items.map((item) => item.id));
    const facts = new Map<number, ItemFacts>(items.map((item) => [item.id, { title: itemTitle(texts.get(item.id)!), status: statusAsOf(item, AS_OF), parts: partsProgress(item, AS_OF) }]));
    const recipients: (Recipient | null)[] = [
      { kind: 'user', id: OWNER },
      { kind: 'channel', id: 'C0LEAD1' },
      { kind: 'usergroup', id: 'S0GROUP1' },
      { kind: 'unmapped', lead: 'LGA' },
      { kind: 'away', id: 'U0AWAY' },
      null,
    ];
    // The longest away note a person can give, on the hand-over and on those who share the lead.
    const absence = { id: 1, userId: 'U0AWAY', startsAt: AS_OF, until: new Date('2021-12-06T00:00:00Z'), untilDate: '2021-12-06', note: 'ü'.repeat(NOTE_LIMIT), source: 'command' as const, endedAt: null };
    const sends: PlannedSend[] = [];
    for (const item of items) {
      const reminderItem = { ...item, remindersOff: false, recipients: [], snoozes: [] };
      for (const occurrence of assessItem(item, AS_OF, { timeZone: TIME_ZONE, meetings: [] })) {
        if (occurrence.state !== 'overdue' && occurrence.state !== 'upcoming') continue;
        for (const recipient of recipients) {
          sends.push({
            key: `${item.id}:${occurrence.milestone.id}:${occurrence.key}:${recipient ? JSON.stringify(recipient) : 'escalation'}`,
            item: reminderItem,
            occurrence,
            step: recipient ? { kind: 'nudge', number: 1 } : { kind: 'escalation' },
            recipient,
            sendAt: AS_OF,
            covering: recipient?.kind === 'away' || recipient?.kind === 'user' ? [absence] : [],
          });
        }
      }
    }
    const notices = reminderNotices(sends, facts, AS_OF, TIME_ZONE);
    expect(notices.map((notice) => notice.audience.kind).sort()).toEqual(['away', 'channel', 'escalation', 'unmapped', 'user', 'usergroup'] satisfies Audience['kind'][]);
    const own = sends.filter((send) => send.recipient?.kind === 'user');
    const weekly = summaryNotice('weekly:user:U0OWNER:2021-11-29', OWNER, { kind: 'weekly', weekOf: '2021-11-29' }, own.slice(0, 3), own.map(({ item, occurrence }) => ({ item, occurrence })), facts, AS_OF, TIME_ZONE, [absence]);
    const welcome = summaryNotice('welcome:user:U0OWNER:1', OWNER, { kind: 'welcome', since: AS_OF.toISOString() }, [], own.map(({ item, occurrence }) => ({ item, occurrence })), facts, AS_OF, TIME_ZONE);
    for (const { notice } of [...notices, weekly, welcome]) {
      expect(notice.lines.length).toBeGreaterThan(50); // more than one message holds
      const reply = reminderBlocks(notice, TIME_ZONE);
      expectWithinLimits(reply);
      const expected = notice.lines.map((line) => [`*${escape(line.ref)}* ${escape(line.title)}`, `(due ${formatDay(line.dueDate)})`, ...(line.part ? [`part “${escape(line.part)}”`] : [])]);
      const missing = missingFrom([reply], expected, 2);
      expect(missing.length).toBeGreaterThan(0);
      expect(missing.length).toBeLessThanOrEqual(countedAsMore([reply]));
      expect(countedAsMore([reply])).toBeLessThan(notice.lines.length);
    }
  });

  test('the digest: its summary, every reply of its thread, and the /digest preview of each', async () => {
    const meeting = await store.db.meeting.findFirstOrThrow({ where: { startsAt: MEETING } });
    const digest = await digestFor(store.db, meeting.id, AS_OF, TIME_ZONE, { quietDays: 60 });
    expect(digest.changes.length).toBeGreaterThan(200);
    expect(digest.overdue.length).toBeGreaterThan(50);
    const pages = digestPages(digest, TIME_ZONE);
    for (const page of pages) expectWithinLimits(page);
    pages.forEach((_, index) => expectWithinLimits(digestPreviewBlocks(pages, { command: '/digest', text: '', page: index + 1 })));
    // Every change and its note; every overdue and due line, or counted with the command for it.
    expect(missingFrom(pages, digest.changes.map((change) => [shown(change.note!)]))).toEqual([]);
    const dueLines = [...digest.overdue, ...digest.dueBeforeNext].map((line) => [`*${escape(line.ref)}* ${escape(line.title)}${line.part ? ` (${escape(line.part)})` : ''}`, formatDay(line.dueDate)]);
    expect(missingFrom(pages, dueLines).length).toBeLessThanOrEqual(countedAsMore(pages));
    expect(missingFrom(pages, digest.mostOverdue.map((line) => [`*${escape(line.ref)}* ${escape(line.title)}`]))).toEqual([]);
  });

  test('/action list, /overdue, /upcoming and /lead: every page fits, every entry is on one', async () => {
    const list = await listItems(taskforce, null);
    const listPages = allPages((page) => itemListBlocks(list, paging('/action', 'list')(page)));
    listPages.forEach((page) => expectWithinLimits(page));
    expect(missingFrom(listPages, list.items.map((item) => [`*${escape(item.ref)}* ${escape(item.title)}`]))).toEqual([]);

    const overdue = await overdueReport(taskforce, null);
    expect(overdue.total).toBeGreaterThan(50);
    const overduePages = allPages((page) => overdueBlocks(overdue, TIME_ZONE, paging('/overdue', '')(page)));
    overduePages.forEach((page) => expectWithinLimits(page));
    const overdueLines = overdue.groups.flatMap((group) => group.entries).map((entry) => [`*${escape(entry.item.ref)}* ${escape(entry.title)}`, `(due ${formatDay(entry.occurrence.dueDate)})`]);
    expect(missingFrom(overduePages, overdueLines)).toEqual([]);

    const early = { ...taskforce, clock: fixedClock(new Date('2016-12-01T09:00:00Z')) };
    const upcoming = await upcomingReport(early, 2000);
    expect(upcoming.entries.length).toBeGreaterThan(200);
    const upcomingPages = allPages((page) => upcomingBlocks(upcoming, TIME_ZONE, paging('/upcoming', '2000')(page)));
    upcomingPages.forEach((page) => expectWithinLimits(page));
    expect(missingFrom(upcomingPages, upcoming.entries.map((entry) => [`*${escape(entry.item.ref)}* ${escape(entry.title)}`, `due ${formatDay(entry.occurrence.dueDate)}`]))).toEqual([]);

    const leads = await listLeads(taskforce);
    const leadPages = allPages((page) => leadsBlocks(leads, paging('/lead', '')(page)));
    leadPages.forEach((page) => expectWithinLimits(page));
    expect(missingFrom(leadPages, leads.map((lead) => [`*${escape(lead.name)}*`]))).toEqual([]);
    expectWithinLimits(leadMappedBlocks(leads[0]));
  });

  test('the item view, its whole history page by page, and the answer to an update, for every item', async () => {
    for (const { ref } of (await listItems(taskforce, null)).items) {
      const view = await viewItem(taskforce, ref);
      const notes = [...view.item.history].reverse().filter((entry) => entry.note).map((entry) => [shown(entry.note!)]);
      const item = itemBlocks(view, TIME_ZONE);
      expectWithinLimits(item);
      expect(missingFrom([item], notes.slice(0, 5)).length).toBeLessThanOrEqual(countedAsMore([item]));
      const history = allPages((page) => historyBlocks(view, TIME_ZONE, paging('/action', `${ref} history`)(page)));
      history.forEach((page) => expectWithinLimits(page));
      expect(missingFrom(history, notes)).toEqual([]);
      if (ref === '12') expect(history.length).toBeGreaterThan(2);

      const note = bigNote(`update of ${ref}`);
      const updated = updatedBlocks(await updateStatus(taskforce, { ref, status: 'at-risk', text: note, userId: ADMIN, source: 'command' }), TIME_ZONE);
      expectWithinLimits(updated);
      expect(missingFrom([updated], [[shown(note)]])).toEqual([]);
    }
  });

  test('App Home for someone who answers for every lead', async () => {
    const board = await dashboard(taskforce, OWNER);
    expect(board.mine.length).toBe(80);
    const home = homeView(board, TIME_ZONE);
    expectWithinLimits(home, 'home');
    const expected = [...board.mine.map((item) => [`*${escape(item.ref)}* ${escape(item.title)}`]), ...board.overdue.map((entry) => [`*${escape(entry.item.ref)}*`, `(due ${formatDay(entry.occurrence.dueDate)})`])];
    const missing = missingFrom([home], expected);
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.length).toBeLessThanOrEqual(countedAsMore([home]));
  });

  test('the status modal, the report notice, meetings, help and errors', async () => {
    const responseUrl = `https://hooks.slack.com/actions/T0123ABCD/${'9'.repeat(13)}/${'x'.repeat(24)}`;
    for (const { ref, title } of (await listItems(taskforce, null)).items) {
      for (const status of SETTABLE_STATUSES) expectWithinLimits(statusModal({ ref, status, responseUrl }, title), 'modal');
    }
    expectWithinLimits(reportPublishedBlocks({ from: '2021-05', to: '2021-10' }, 'in <#C0TASKFORCE>'));
    const meetings = await upcomingMeetings({ ...taskforce, clock: fixedClock(new Date('2016-12-01T00:00:00Z')) });
    const meetingPages = allPages((page) => meetingsBlocks(meetings, TIME_ZONE, paging('/meeting', '')(page)));
    meetingPages.forEach((page) => expectWithinLimits(page));
    expect(missingFrom(meetingPages, meetings.map((meeting) => [shown(meeting.note!)]))).toEqual([]);
    const typed = escape(bigNote('typed'));
    for (const command of SLASH_COMMANDS) expectWithinLimits(helpBlocks(command, `I didn't understand "${typed}".`));
    expectWithinLimits(errorBlocks(`No lead or theme matches "${typed}". Did you mean ${'Arts Council England, '.repeat(10)}?`));
  });
});
