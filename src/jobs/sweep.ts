import { assessItem, partsProgress, statusAsOf, type AssessedOccurrence } from '../domain/deadlines';
import type { Clock } from '../domain/clock';
import { audienceKey, messageKey, reminderNotices, summaryNotice, type Audience, type ItemFacts, type OpenDeadline, type OutgoingNotice } from '../domain/notices';
import { inQuietHours } from '../domain/personal';
import { plannedSends, recipientKey, type PersonalPlanning, type PlannedSend, type Recipient, type ReminderItem, type ReminderSettings } from '../domain/reminders';
import { summariesDue, type DueSummary } from '../domain/summaries';
import { daysBetween, localDate } from '../domain/time';
import { itemTitle } from '../domain/titles';
import type { Db } from '../store/client';
import { claimAll, claimRetry, keysInLedger, mayStart, retriesDue, type Claimed, type NewSend } from '../store/ledger';
import { groupBy, itemTexts, loadAllLeadOwners, loadMeetings, loadSnoozes, loadTrackingRecords } from '../store/tracked-items';
import { deliver, type Delivery } from './deliver';
import { sweepDigests, type DigestDeps } from './digests';
import { peopleForSweep, type PeopleLookup } from './people';
import type { MeetingsCalendar } from './meetings-calendar';

export interface JobDeps extends DigestDeps {
  clock: Clock;
  /** The Taskforce channel: digests, escalations, user groups and unmapped leads go there. */
  channel: string | null;
  reminders: ReminderSettings;
  /** Asks Slack for people's time zones and statuses; none in the console (the plan's zone). */
  people?: PeopleLookup;
  /** TASKFORCE_MEETINGS_ICS, read before each sweep works out what is due. */
  meetingsCalendar?: MeetingsCalendar;
}

/** Keys of what a sweep sent, will retry, or gave up on: messages, and the reminders they carry. */
export interface SweepReport {
  sent: string[];
  retrying: string[];
  failed: string[];
}

/** Reminder items with their recipients (from lead owners) and snoozes. */
async function loadReminderItems(deps: JobDeps): Promise<ReminderItem[]> {
  const [items, owners, snoozes] = await Promise.all([loadTrackingRecords(deps.db), loadAllLeadOwners(deps.db), loadSnoozes(deps.db)]);
  const ownersByLead = groupBy(owners, (owner) => owner.lead);
  const snoozesByItem = groupBy(snoozes, (snooze) => snooze.itemId);
  const recipientsByLead = new Map([...ownersByLead].map(([lead, mapped]) => [lead, mapped.map((owner): Recipient => ({ kind: owner.kind as 'user' | 'channel' | 'usergroup', id: owner.slackId }))]));
  // Thousands of items share a few combinations of leads: each combination's recipients once.
  const recipientsByLeads = new Map<string, Recipient[]>();
  const recipientsOf = (leads: readonly string[]) => {
    const key = leads.join('\n');
    let list = recipientsByLeads.get(key);
    if (!list) {
      const recipients = new Map<string, Recipient>();
      for (const lead of leads) {
        const forLead: readonly Recipient[] = recipientsByLead.get(lead) ?? [{ kind: 'unmapped', lead }];
        for (const recipient of forLead) recipients.set(recipientKey(recipient), recipient);
      }
      recipientsByLeads.set(key, (list = [...recipients.values()]));
    }
    return list;
  };
  // Spelt out rather than spread: a spread of 10,000 records was a quarter of a steady sweep.
  return items.map((item) => ({
    id: item.id,
    ref: item.ref,
    leads: item.leads,
    milestones: item.milestones,
    history: item.history,
    remindersOffBy: item.remindersOffBy,
    remindersOff: item.remindersOffBy !== null,
    recipients: recipientsOf(item.leads),
    snoozes: snoozesByItem.get(item.id) ?? [],
    ownersByLead: recipientsByLead,
  }));
}

/**
 * One sweep: works out from the database what should have gone out by now (reminders, nudges,
 * escalations, meeting digests), claims each under its key and sends it; then retries what is
 * waiting. Safe to run
 * at any time, as often as wanted, from any number of copies of the bot.
 */
export async function sweep(deps: JobDeps): Promise<SweepReport> {
  const now = deps.clock.now();
  const report: SweepReport = { sent: [], retrying: [], failed: [] };
  const record = (key: string, delivery: Delivery, lineKeys: readonly string[] = []) => {
    const list = delivery === 'sent' ? report.sent : delivery === 'retry' ? report.retrying : report.failed;
    list.push(key, ...lineKeys);
  };
  const clockNow = () => deps.clock.now();

  // First, so that a meeting the calendar moved or cancelled is already so for this sweep's digests.
  await deps.meetingsCalendar?.refresh(now, deps.log);
  const [items, meetings] = await Promise.all([loadReminderItems(deps), loadMeetings(deps.db)]);
  const context = { timeZone: deps.timeZone, meetings };
  const assessed = new Map<number, AssessedOccurrence[]>(items.map((item) => [item.id, assessItem(item, now, context)]));
  const userIds = [...new Set(items.flatMap((item) => item.recipients.flatMap((recipient) => (recipient.kind === 'user' ? [recipient.id] : []))))];
  const people = await peopleForSweep(deps.db, deps.people, userIds, now, deps.log);
  const personal: PersonalPlanning = {
    zoneOf: (id) => people.get(id)?.timeZone ?? null,
    frequencyOf: (id) => people.get(id)?.frequency ?? 'daily',
    absencesOf: (id) => people.get(id)?.absences ?? [],
  };
  const planned = plannedSends(items, assessed, now, deps.reminders, deps.timeZone, personal);
  const candidates = [...people.values()].map((person) => summariesDue(person, now, deps.reminders, deps.timeZone));
  const alreadyInLedger = await keysInLedger(deps.db, [...planned.map((send) => send.key), ...candidates.flat().map((summary) => summary.key)]);
  const fresh = planned.filter((send) => !alreadyInLedger.has(send.key));
  // Per person, the first summary not yet sent. One not due yet holds their other DMs till it is.
  const summaries = candidates.flatMap((list) => list.find((summary) => !alreadyInLedger.has(summary.key)) ?? []);
  const summarised = new Map(summaries.map((summary) => [summary.userId, summary]));
  const isSummarised = (send: PlannedSend) => send.recipient?.kind === 'user' && summarised.has(send.recipient.id);
  const dueSummaries = summaries.filter((summary) => summary.sendAt <= now);
  const open = new Map(dueSummaries.map((summary) => [summary.userId, openDeadlines(items, assessed, summary, now, deps.timeZone)]));
  const itemsNamed = [...fresh.map((send) => send.item), ...[...open.values()].flat().map((deadline) => deadline.item)];
  const texts = await itemTexts(deps.db, [...new Set(itemsNamed.map((item) => item.id))]);
  const facts = new Map<number, ItemFacts>();
  for (const item of itemsNamed) {
    if (facts.has(item.id)) continue; // one item, many sends: its facts once
    facts.set(item.id, { title: itemTitle(texts.get(item.id) ?? item.ref), status: statusAsOf(item, now), parts: partsProgress(item, now) });
  }
  const notices = reminderNotices(
    fresh.filter((send) => !isSummarised(send)),
    facts,
    now,
    deps.timeZone,
  );
  for (const summary of dueSummaries) {
    const own = fresh.filter((send) => send.recipient?.kind === 'user' && send.recipient.id === summary.userId);
    const notice = summaryNotice(summary.key, summary.userId, summary.summary, own, open.get(summary.userId) ?? [], facts, now, deps.timeZone, own.flatMap((send) => send.covering ?? []));
    notices.push({ ...notice, settles: summary.settles });
  }
  // Quiet hours hold a person's DMs: nothing is claimed, so the next sweep after they end sends it.
  const quiet = (audience: Audience) => {
    const person = audience.kind === 'user' ? people.get(audience.id) : undefined;
    return person?.quiet ? inQuietHours(now, person.timeZone ?? deps.timeZone, person.quiet) : false;
  };
  // Messages are claimed a batch at a time, then sent one by one. A bot that dies mid-batch leaves
  // the rest claimed and unsent: after their lease the retry takes them (claimRetry), finds no
  // earlier attempt in Slack, and sends each once. One whose lease ran short while the batch was
  // being sent is left to that retry too, rather than sent when another copy may take it.
  const outgoing = notices.filter((notice) => !quiet(notice.audience));
  for (let start = 0; start < outgoing.length; start += MESSAGES_PER_CLAIM) {
    for (const claimed of await claimMessages(deps.db, outgoing.slice(start, start + MESSAGES_PER_CLAIM), deps.channel, now)) {
      const delivery = mayStart(claimed, clockNow()) ? await deliver(deps.db, deps.sender, claimed, clockNow, deps.log) : 'retry';
      record(claimed.key, delivery, lineKeysOf(claimed));
    }
  }

  await sweepDigests(deps, record);

  for (const key of await retriesDue(deps.db, now)) {
    const claimed = await claimRetry(deps.db, key, now);
    if (claimed) record(key, await deliver(deps.db, deps.sender, claimed, clockNow, deps.log), lineKeysOf(claimed));
  }
  return report;
}

/** Where a message for an audience goes: DMs to the user, the rest to a channel; null if nowhere. */
function channelFor(audience: Audience, taskforceChannel: string | null): string | null {
  return audience.kind === 'user' || audience.kind === 'channel' ? audience.id : taskforceChannel;
}

/** Messages claimed in one transaction: a sweep of many recipients claims them in a few, not one each. */
const MESSAGES_PER_CLAIM = 20;

/**
 * Claims messages and every reminder in them, as one. When another copy of the bot has claimed
 * any of those keys a moment ago, the whole claim is refused: then each message is claimed on its
 * own, made again without what was taken (claimMessage).
 */
async function claimMessages(db: Db, batch: readonly OutgoingNotice[], taskforceChannel: string | null, now: Date): Promise<Claimed[]> {
  const sends = batch.flatMap((outgoing) => {
    const channel = channelFor(outgoing.audience, taskforceChannel);
    return channel ? [newSend(outgoing, channel, outgoing.key, outgoing.notice, outgoing.settles ?? [])] : [];
  });
  if (sends.length === 0) return [];
  const claimed = await claimAll(db, sends, now);
  if (claimed) return claimed;
  const one: Claimed[] = [];
  for (const outgoing of batch) {
    const got = await claimMessage(db, outgoing, taskforceChannel, now);
    if (got) one.push(got);
  }
  return one;
}

function newSend(outgoing: OutgoingNotice, channel: string, key: string, notice: OutgoingNotice['notice'], settles: readonly string[]): NewSend {
  const summary = notice.summary !== undefined;
  const kind = outgoing.audience.kind === 'escalation' ? 'escalations' : summary ? `summary-${notice.summary!.kind}` : 'reminders';
  const lines = [...notice.lines.map((line) => ({ key: line.key, kind: line.step })), ...settles.map((settled) => ({ key: settled, kind: 'settled' }))];
  return { key, kind, recipient: audienceKey(outgoing.audience), message: { channel, notice }, lines };
}

/**
 * Claims one message and every reminder in it. Another copy of the bot may have claimed some of
 * them a moment ago (then the whole claim is refused): the message is made again without those,
 * so that each reminder is in one message only.
 */
async function claimMessage(db: Db, outgoing: OutgoingNotice, taskforceChannel: string | null, now: Date): Promise<Claimed | null> {
  const channel = channelFor(outgoing.audience, taskforceChannel);
  if (!channel) return null;
  let { key, notice } = outgoing;
  let settles = outgoing.settles ?? [];
  // A summary's key is fixed (whom, which week or absence): it goes once, whatever lines it keeps.
  const summary = notice.summary !== undefined;
  for (let attempt = 0; attempt < 5 && (summary || notice.lines.length > 0); attempt++) {
    const send = newSend(outgoing, channel, key, notice, settles);
    const claimed = await claimAll(db, [send], now);
    if (claimed) return claimed[0];
    const taken = await keysInLedger(db, [key, ...send.lines!.map((line) => line.key)]);
    if (taken.has(key)) return null; // the same message, claimed by another copy
    notice = { ...notice, lines: notice.lines.filter((line) => !taken.has(line.key)) };
    settles = settles.filter((settled) => !taken.has(settled));
    if (!summary) key = messageKey(outgoing.audience, notice.lines);
  }
  return null;
}

/**
 * What a summary lists besides the reminders due: every open deadline of the items the person
 * answers for (reminders on), overdue or due within the summary's horizon.
 */
function openDeadlines(items: readonly ReminderItem[], assessed: Map<number, AssessedOccurrence[]>, summary: DueSummary, now: Date, zone: string): OpenDeadline[] {
  const today = localDate(now, zone);
  const open: OpenDeadline[] = [];
  for (const item of items) {
    if (item.remindersOff || !item.recipients.some((recipient) => recipient.kind === 'user' && recipient.id === summary.userId)) continue;
    for (const occurrence of assessed.get(item.id) ?? []) {
      if (occurrence.state === 'overdue' || (occurrence.state === 'upcoming' && daysBetween(today, occurrence.dueDate) <= summary.horizonDays)) open.push({ item, occurrence });
    }
  }
  return open;
}

function lineKeysOf(claimed: Claimed): string[] {
  return claimed.message.notice.kind === 'reminders' ? claimed.message.notice.lines.map((line) => line.key) : [];
}
