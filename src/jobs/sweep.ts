import { assessItem, partsProgress, statusAsOf, type AssessedOccurrence } from '../domain/deadlines';
import type { Clock } from '../domain/clock';
import { audienceKey, messageKey, reminderNotices, type Audience, type ItemFacts, type OutgoingNotice } from '../domain/notices';
import { plannedSends, recipientKey, type Recipient, type ReminderItem, type ReminderSettings } from '../domain/reminders';
import { itemTitle } from '../domain/titles';
import type { Db } from '../store/client';
import { claimAll, claimRetry, keysInLedger, retriesDue, type Claimed } from '../store/ledger';
import { groupBy, itemTexts, loadMeetings, loadTrackingRecords } from '../store/tracked-items';
import { deliver, type Delivery } from './deliver';
import { sweepDigests, type DigestDeps } from './digests';
import type { MeetingsCalendar } from './meetings-calendar';

export interface JobDeps extends DigestDeps {
  clock: Clock;
  /** The Taskforce channel: digests, escalations, user groups and unmapped leads go there. */
  channel: string | null;
  reminders: ReminderSettings;
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
  const [items, owners, snoozes] = await Promise.all([
    loadTrackingRecords(deps.db),
    deps.db.leadOwner.findMany({ include: { lead: { select: { name: true } } }, orderBy: { id: 'asc' } }),
    deps.db.snooze.findMany({ orderBy: { id: 'asc' } }),
  ]);
  const ownersByLead = groupBy(owners, (owner) => owner.lead.name);
  const snoozesByItem = groupBy(snoozes, (snooze) => snooze.itemId);
  return items.map((item) => {
    const recipients = new Map<string, Recipient>();
    for (const lead of item.leads) {
      const mapped = ownersByLead.get(lead) ?? [];
      const forLead: Recipient[] = mapped.length
        ? mapped.map((owner) => ({ kind: owner.kind as 'user' | 'channel' | 'usergroup', id: owner.slackId }))
        : [{ kind: 'unmapped', lead }];
      for (const recipient of forLead) recipients.set(recipientKey(recipient), recipient);
    }
    return {
      ...item,
      remindersOff: item.remindersOffBy !== null,
      recipients: [...recipients.values()],
      snoozes: snoozesByItem.get(item.id) ?? [],
    };
  });
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
  const planned = plannedSends(items, assessed, now, deps.reminders, deps.timeZone);
  const alreadyInLedger = await keysInLedger(deps.db, planned.map((send) => send.key));
  const fresh = planned.filter((send) => !alreadyInLedger.has(send.key));
  const texts = await itemTexts(deps.db, [...new Set(fresh.map((send) => send.item.id))]);
  const facts = new Map<number, ItemFacts>();
  for (const send of fresh) {
    if (facts.has(send.item.id)) continue; // one item, many sends: its facts once
    facts.set(send.item.id, { title: itemTitle(texts.get(send.item.id) ?? send.item.ref), status: statusAsOf(send.item, now), parts: partsProgress(send.item, now) });
  }
  const notices = reminderNotices(fresh, facts, now, deps.timeZone);
  // Each message claimed just before it is sent: a bot that dies leaves at most one in flight.
  for (const outgoing of notices) {
    const claimed = await claimMessage(deps.db, outgoing, deps.channel, now);
    if (claimed) record(claimed.key, await deliver(deps.db, deps.sender, claimed, clockNow, deps.log), lineKeysOf(claimed));
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

/**
 * Claims one message and every reminder in it. Another copy of the bot may have claimed some of
 * them a moment ago (then the whole claim is refused): the message is made again without those,
 * so that each reminder is in one message only.
 */
async function claimMessage(db: Db, outgoing: OutgoingNotice, taskforceChannel: string | null, now: Date): Promise<Claimed | null> {
  const channel = channelFor(outgoing.audience, taskforceChannel);
  if (!channel) return null;
  let { key, notice } = outgoing;
  for (let attempt = 0; attempt < 5 && notice.lines.length > 0; attempt++) {
    const kind = outgoing.audience.kind === 'escalation' ? 'escalations' : 'reminders';
    const lines = notice.lines.map((line) => ({ key: line.key, kind: line.step }));
    const claimed = await claimAll(db, [{ key, kind, recipient: audienceKey(outgoing.audience), message: { channel, notice }, lines }], now);
    if (claimed) return claimed[0];
    const taken = await keysInLedger(db, [key, ...lines.map((line) => line.key)]);
    if (taken.has(key)) return null; // the same message, claimed by another copy
    notice = { ...notice, lines: notice.lines.filter((line) => !taken.has(line.key)) };
    key = messageKey(outgoing.audience, notice.lines);
  }
  return null;
}

function lineKeysOf(claimed: Claimed): string[] {
  return claimed.message.notice.kind === 'reminders' ? claimed.message.notice.lines.map((line) => line.key) : [];
}
