import type { DeadlineRule, MilestoneSpec } from '../domain/deadline-words';
import type { Clock } from '../domain/clock';
import type { ItemSpec, PlanFileSet } from '../plans/plan-files';
import type { Db } from './client';
import { ruleColumns } from './rules';
import { refKey } from './tracked-items';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface ImportReport {
  itemsCreated: string[];
  itemsUpdated: string[];
  itemsRetired: string[];
  /** Plans, themes, leads and dependencies written. */
  otherChanges: number;
}

export function changeCount(report: ImportReport): number {
  return report.itemsCreated.length + report.itemsUpdated.length + report.itemsRetired.length + report.otherChanges;
}

/** What identifies a milestone across edits of a data file: its part, or else its words. */
function milestoneKey(milestone: { part: string | null; words: string }): string {
  return (milestone.part ?? milestone.words).toLowerCase();
}

function sameRule(row: ReturnType<typeof ruleColumns>, rule: DeadlineRule): boolean {
  const wanted = ruleColumns(rule);
  return (
    row.rule === wanted.rule &&
    row.dueMonth === wanted.dueMonth &&
    row.fromMonth === wanted.fromMonth &&
    row.untilMonth === wanted.untilMonth
  );
}

/**
 * Brings the database in line with the data files, in one transaction. Idempotent: a second run
 * writes nothing. An edited file updates texts, leads, deadlines and dependencies; an item gone
 * from the files is retired, not deleted; status history is never touched, except that a new item
 * starts with one "not-started" entry from the import.
 */
export async function importPlans(db: Db, files: PlanFileSet, clock: Clock): Promise<ImportReport> {
  const report: ImportReport = { itemsCreated: [], itemsUpdated: [], itemsRetired: [], otherChanges: 0 };
  const now = clock.now();
  await db.$transaction(
    async (tx) => {
      const leadIds = await syncLeads(tx, files, report);
      const itemIds = new Map<string, number>();
      const seenItemIds = new Set<number>();
      for (const planSpec of files.plans) {
        const planFields = {
          title: planSpec.subtitle ? `${planSpec.title}: ${planSpec.subtitle}` : planSpec.title,
          summary: planSpec.summary,
          startsOn: planSpec.starts,
          endsOn: planSpec.ends,
          sourceFile: planSpec.source,
          position: planSpec.position,
        };
        const plan = await upsertIfChanged(
          tx.plan.findUnique({ where: { slug: planSpec.slug } }),
          planFields,
          () => tx.plan.create({ data: { slug: planSpec.slug, ...planFields } }),
          (id) => tx.plan.update({ where: { id }, data: planFields }),
          report,
        );
        for (const themeSpec of planSpec.themes) {
          const themeFields = {
            planId: plan.id,
            title: themeSpec.title,
            description: themeSpec.description,
            position: themeSpec.position,
          };
          const theme = await upsertIfChanged(
            tx.theme.findUnique({ where: { code: themeSpec.code } }),
            themeFields,
            () => tx.theme.create({ data: { code: themeSpec.code, ...themeFields } }),
            (id) => tx.theme.update({ where: { id }, data: themeFields }),
            report,
          );
          for (const itemSpec of themeSpec.items) {
            const id = await syncItem(tx, itemSpec, plan.id, theme.id, leadIds, now, report);
            itemIds.set(itemSpec.ref.toLowerCase(), id);
            seenItemIds.add(id);
          }
        }
      }
      const gone = await tx.planItem.findMany({ where: { retiredAt: null, id: { notIn: [...seenItemIds] } } });
      for (const item of gone) {
        await tx.planItem.update({ where: { id: item.id }, data: { retiredAt: now } });
        report.itemsRetired.push(item.ref);
      }
      await syncDependencies(tx, files, itemIds, report);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return report;
}

/** Creates a row, or updates it only where a field differs. */
async function upsertIfChanged<Row extends { id: number }>(
  existing: Promise<Row | null>,
  wanted: Record<string, unknown>,
  create: () => Promise<Row>,
  update: (id: number) => Promise<Row>,
  report: ImportReport,
): Promise<Row> {
  const row = await existing;
  if (!row) {
    report.otherChanges++;
    return create();
  }
  const differs = Object.entries(wanted).some(([key, value]) => (row as Record<string, unknown>)[key] !== value);
  if (!differs) return row;
  report.otherChanges++;
  return update(row.id);
}

async function syncLeads(tx: Tx, files: PlanFileSet, report: ImportReport): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const spec of files.leads) {
    const fields = { kind: spec.kind, fullName: spec.fullName, aliases: spec.aliases.join(', ') };
    const lead = await upsertIfChanged(
      tx.lead.findUnique({ where: { name: spec.name } }),
      fields,
      () => tx.lead.create({ data: { name: spec.name, ...fields } }),
      (id) => tx.lead.update({ where: { id }, data: fields }),
      report,
    );
    ids.set(spec.name, lead.id);
  }
  return ids;
}

async function syncItem(
  tx: Tx,
  spec: ItemSpec,
  planId: number,
  themeId: number,
  leadIds: Map<string, number>,
  now: Date,
  report: ImportReport,
): Promise<number> {
  const fields = {
    ref: spec.ref,
    planId,
    themeId,
    kind: spec.kind,
    position: spec.position,
    text: spec.text,
    section: spec.section,
    leadText: spec.leadText,
    deadlineText: spec.deadlineText,
    comments: spec.comments,
    retiredAt: null,
  };
  const existing = await tx.planItem.findUnique({
    where: { refKey: refKey(spec.ref) },
    include: { leads: { orderBy: { position: 'asc' } }, deadlines: true },
  });
  if (!existing) {
    const item = await tx.planItem.create({ data: { refKey: refKey(spec.ref), ...fields } });
    await tx.itemLead.createMany({
      data: spec.leads.map((name, position) => ({ itemId: item.id, leadId: leadIds.get(name)!, position })),
    });
    await tx.deadline.createMany({ data: spec.milestones.map((m, position) => deadlineRow(item.id, position, m)) });
    await tx.statusUpdate.create({
      data: { itemId: item.id, status: 'not-started', actor: 'import', source: 'import', createdAt: now },
    });
    report.itemsCreated.push(spec.ref);
    return item.id;
  }

  let changed = Object.entries(fields).some(([key, value]) => (existing as Record<string, unknown>)[key] !== value);
  if (changed) await tx.planItem.update({ where: { id: existing.id }, data: fields });

  const wantedLeadIds = spec.leads.map((name) => leadIds.get(name)!);
  if (wantedLeadIds.join() !== existing.leads.map((link) => link.leadId).join()) {
    await tx.itemLead.deleteMany({ where: { itemId: existing.id } });
    await tx.itemLead.createMany({
      data: wantedLeadIds.map((leadId, position) => ({ itemId: existing.id, leadId, position })),
    });
    changed = true;
  }

  // Deadlines are matched by part (or words), so history that points at one keeps its meaning.
  const unmatched = [...existing.deadlines];
  for (const [position, milestone] of spec.milestones.entries()) {
    const index = unmatched.findIndex((row) => milestoneKey(row) === milestoneKey(milestone));
    if (index < 0) {
      await tx.deadline.create({ data: deadlineRow(existing.id, position, milestone) });
      changed = true;
      continue;
    }
    const [row] = unmatched.splice(index, 1);
    const same =
      row.position === position && row.words === milestone.words && row.part === milestone.part &&
      row.retiredAt === null && sameRule(row, milestone.rule);
    if (!same) {
      await tx.deadline.update({ where: { id: row.id }, data: deadlineRow(existing.id, position, milestone) });
      changed = true;
    }
  }
  for (const row of unmatched.filter((row) => row.retiredAt === null)) {
    await tx.deadline.update({ where: { id: row.id }, data: { retiredAt: now } });
    changed = true;
  }
  if (changed) report.itemsUpdated.push(spec.ref);
  return existing.id;
}

function deadlineRow(itemId: number, position: number, milestone: MilestoneSpec) {
  return { itemId, position, words: milestone.words, part: milestone.part, retiredAt: null, ...ruleColumns(milestone.rule) };
}

async function syncDependencies(
  tx: Tx,
  files: PlanFileSet,
  itemIds: Map<string, number>,
  report: ImportReport,
): Promise<void> {
  const wanted = new Map<string, { itemId: number; dependsOnId: number; condition: string }>();
  for (const item of files.plans.flatMap((plan) => plan.themes.flatMap((theme) => theme.items))) {
    for (const ref of item.waitsOn) {
      const link = {
        itemId: itemIds.get(item.ref.toLowerCase())!,
        dependsOnId: itemIds.get(ref.toLowerCase())!,
        // The plan's words for the wait ("Once the toolkit is published") are the item's comment.
        condition: item.comments ?? `Once ${ref} is done`,
      };
      wanted.set(`${link.itemId}:${link.dependsOnId}`, link);
    }
  }
  for (const row of await tx.itemDependency.findMany()) {
    const key = `${row.itemId}:${row.dependsOnId}`;
    const link = wanted.get(key);
    if (link && link.condition === row.condition) {
      wanted.delete(key);
      continue;
    }
    await tx.itemDependency.delete({ where: { itemId_dependsOnId: { itemId: row.itemId, dependsOnId: row.dependsOnId } } });
    report.otherChanges++;
  }
  if (wanted.size > 0) {
    await tx.itemDependency.createMany({ data: [...wanted.values()] });
    report.otherChanges += wanted.size;
  }
}
