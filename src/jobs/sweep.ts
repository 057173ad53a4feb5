import { assessItem, statusAsOf, type AssessedOccurrence } from '../domain/deadlines';
import type { Clock } from '../domain/clock';
import { plannedSends, recipientKey, type Recipient, type ReminderItem, type ReminderSettings } from '../domain/reminders';
import { reminderMessage } from '../slack/blocks/reminders';
import { claimNew, claimRetry, keysInLedger, retriesDue } from '../store/ledger';
import { groupBy, itemTexts, loadMeetings, loadTrackingRecords } from '../store/tracked-items';
import { deliver, type Delivery } from './deliver';
import { sweepDigests, type DigestDeps } from './digests';

export interface JobDeps extends DigestDeps {
  clock: Clock;
  /** The Taskforce channel: digests, escalations, user groups and unmapped leads go there. */
  channel: string | null;
  reminders: ReminderSettings;
}

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
  const record = (key: string, delivery: Delivery) => {
    if (delivery === 'sent') report.sent.push(key);
    else if (delivery === 'retry') report.retrying.push(key);
    else report.failed.push(key);
  };
  const clockNow = () => deps.clock.now();

  const [items, meetings] = await Promise.all([loadReminderItems(deps), loadMeetings(deps.db)]);
  const context = { timeZone: deps.timeZone, meetings };
  const assessed = new Map<number, AssessedOccurrence[]>(items.map((item) => [item.id, assessItem(item, now, context)]));
  const planned = plannedSends(items, assessed, now, deps.reminders, deps.timeZone);
  const alreadyInLedger = await keysInLedger(deps.db, planned.map((send) => send.key));
  const fresh = planned.filter((send) => !alreadyInLedger.has(send.key));
  const texts = await itemTexts(deps.db, [...new Set(fresh.map((send) => send.item.id))]);
  for (const send of fresh) {
    const message = reminderMessage(send, texts.get(send.item.id) ?? '', statusAsOf(send.item, now), now, deps.timeZone, deps.channel);
    if (!message) continue;
    const claimed = await claimNew(deps.db, { key: send.key, kind: send.step.kind, recipient: send.recipient ? recipientKey(send.recipient) : 'taskforce', message }, now);
    if (claimed) record(send.key, await deliver(deps.db, deps.sender, claimed, clockNow, deps.log));
  }

  await sweepDigests(deps, record);

  for (const key of await retriesDue(deps.db, now)) {
    const claimed = await claimRetry(deps.db, key, now);
    if (claimed) record(key, await deliver(deps.db, deps.sender, claimed, clockNow, deps.log));
  }
  return report;
}
