import type { SlackTarget } from '../domain/commands';
import { DomainError } from '../domain/errors';
import { leadKey } from '../domain/leads';
import { suggestNames } from '../domain/suggest';
import { echo } from '../domain/text';
import { leadOwners } from '../store/tracked-items';
import type { Taskforce } from './context';

export interface LeadView {
  id: number;
  name: string;
  fullName: string | null;
  aliases: string[];
  owners: SlackTarget[];
  itemCount: number;
}

function toTarget(owner: { kind: string; slackId: string }): SlackTarget {
  return { kind: owner.kind as SlackTarget['kind'], slackId: owner.slackId };
}

export async function listLeads(taskforce: Pick<Taskforce, 'db'>): Promise<LeadView[]> {
  const leads = await taskforce.db.lead.findMany({
    orderBy: { name: 'asc' },
    include: { owners: { orderBy: { id: 'asc' } }, _count: { select: { items: true } } },
  });
  return leads.map((lead) => ({
    id: lead.id,
    name: lead.name,
    fullName: lead.fullName,
    aliases: lead.aliases.split(',').map((alias) => alias.trim()).filter(Boolean),
    owners: lead.owners.map(toTarget),
    itemCount: lead._count.items,
  }));
}

/** Slack owners of each named lead. */
export async function ownersOf(taskforce: Pick<Taskforce, 'db'>, leadNames: readonly string[]): Promise<Map<string, SlackTarget[]>> {
  const owners = await leadOwners(taskforce.db, leadNames);
  return new Map([...owners].map(([lead, targets]) => [lead, targets.map(toTarget)]));
}

/**
 * The lead a person named: by name, full name or alias, in any case; else the one lead whose
 * names contain what was typed. Throws a DomainError with suggestions when there is none.
 */
export async function resolveLead(taskforce: Pick<Taskforce, 'db'>, typed: string): Promise<LeadView> {
  const leads = await listLeads(taskforce);
  const wanted = leadKey(typed);
  const names = leads.map((lead) => ({ lead, names: [lead.name, lead.fullName ?? '', ...lead.aliases].filter(Boolean).map(leadKey) }));
  const exact = names.find((entry) => entry.names.includes(wanted));
  if (exact) return exact.lead;
  const partial = names.filter((entry) => entry.names.some((name) => name.includes(wanted)));
  if (partial.length === 1) return partial[0].lead;
  const suggestions = partial.length > 1 ? partial.map((entry) => entry.lead.name) : suggestNames(typed, leads.map((lead) => lead.name));
  throw new DomainError(
    'unknown-lead',
    `There is no lead called ${echo(typed)}.${suggestions.length ? ` Did you mean ${suggestions.join(', ')}?` : ''} \`/lead\` lists them all.`,
  );
}

export function isAdmin(taskforce: Taskforce, userId: string): boolean {
  return taskforce.admins.has(userId);
}

export function requireAdmin(taskforce: Taskforce, userId: string, what: string): void {
  if (!isAdmin(taskforce, userId)) {
    throw new DomainError('admins-only', `Only Taskforce admins can ${what}. Ask one of them: ${[...taskforce.admins].map((id) => `<@${id}>`).join(', ') || 'none are set (TASKFORCE_ADMINS)'}.`);
  }
}

/** Replaces a lead's Slack owners (admins only). */
export async function mapLead(taskforce: Taskforce, userId: string, typed: string, owners: SlackTarget[]): Promise<LeadView> {
  requireAdmin(taskforce, userId, 'map leads to Slack owners');
  const lead = await resolveLead(taskforce, typed);
  for (const owner of owners.filter((o) => o.kind === 'usergroup')) {
    if ((await taskforce.directory.usergroupMembers(owner.slackId)).kind === 'no-user-groups') {
      throw new DomainError(
        'no-user-groups',
        `This Slack workspace's plan has no user groups (they need a paid plan), so <!subteam^${owner.slackId}> cannot answer for ${lead.name}. Nothing was changed. Map people or a channel instead: \`/lead ${lead.name} @someone #channel\`.`,
      );
    }
  }
  const unique = owners.filter((owner, index) => owners.findIndex((o) => o.kind === owner.kind && o.slackId === owner.slackId) === index);
  await taskforce.db.$transaction([
    taskforce.db.leadOwner.deleteMany({ where: { leadId: lead.id } }),
    taskforce.db.leadOwner.createMany({
      data: unique.map((owner) => ({ leadId: lead.id, kind: owner.kind, slackId: owner.slackId, createdAt: taskforce.clock.now() })),
    }),
  ]);
  return { ...lead, owners: unique };
}

export async function clearLead(taskforce: Taskforce, userId: string, typed: string): Promise<LeadView> {
  requireAdmin(taskforce, userId, 'change lead owners');
  const lead = await resolveLead(taskforce, typed);
  await taskforce.db.leadOwner.deleteMany({ where: { leadId: lead.id } });
  return { ...lead, owners: [] };
}

/** The leads a user answers for: directly, or through a user group they belong to. */
export async function leadsOwnedBy(taskforce: Taskforce, userId: string): Promise<string[]> {
  const owners = await taskforce.db.leadOwner.findMany({ include: { lead: { select: { name: true } } } });
  const names = new Set<string>();
  for (const owner of owners) {
    if (owner.kind === 'user' && owner.slackId === userId) names.add(owner.lead.name);
  }
  for (const owner of owners.filter((o) => o.kind === 'usergroup' && !names.has(o.lead.name))) {
    const answer = await taskforce.directory.usergroupMembers(owner.slackId);
    if (answer.kind === 'known' && answer.members.has(userId)) names.add(owner.lead.name);
  }
  return [...names];
}
