import fs from 'node:fs';
import path from 'node:path';
import { fixedClock } from '../../src/domain/clock';
import { loadPlanFiles, PlanFileError, PLANS_DIR } from '../../src/plans/plan-files';
import { prepareStore } from '../../src/bootstrap';
import { changeCount, importPlans } from '../../src/store/import-plans';
import { findItem, recordStatus } from '../../src/store/tracked-items';
import type { Db } from '../../src/store/client';
import { copyOfPlans, freshStore, scratchDatabase } from '../helpers/store';

const LATER = fixedClock(new Date('2017-06-01T09:00:00Z'));

/** Every row of every table, to show that something changed nothing. */
async function snapshot(db: Db) {
  return {
    plans: await db.plan.findMany({ orderBy: { id: 'asc' } }),
    themes: await db.theme.findMany({ orderBy: { id: 'asc' } }),
    items: await db.planItem.findMany({ orderBy: { id: 'asc' } }),
    leads: await db.lead.findMany({ orderBy: { id: 'asc' } }),
    itemLeads: await db.itemLead.findMany({ orderBy: [{ itemId: 'asc' }, { leadId: 'asc' }] }),
    deadlines: await db.deadline.findMany({ orderBy: { id: 'asc' } }),
    dependencies: await db.itemDependency.findMany({ orderBy: [{ itemId: 'asc' }, { dependsOnId: 'asc' }] }),
    statuses: await db.statusUpdate.findMany({ orderBy: { id: 'asc' } }),
  };
}

function edit(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const content = fs.readFileSync(full, 'utf8');
  if (!content.includes(from)) throw new Error(`test set-up: "${from}" is not in ${file}`);
  fs.writeFileSync(full, content.replace(from, to));
}

describe('importing the data files', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    store = await freshStore();
  });
  afterEach(() => store.close());

  test('a second import changes nothing', async () => {
    const before = await snapshot(store.db);
    const report = await importPlans(store.db, loadPlanFiles(), LATER);
    expect(changeCount(report)).toBe(0);
    expect(await snapshot(store.db)).toEqual(before);
  });

  test('after an edit, re-import updates texts, leads and deadlines and leaves history alone', async () => {
    await recordStatus(store.db, { ref: '4', status: 'done', actor: 'U1', source: 'command', at: new Date('2017-03-20T10:00:00Z'), deadlineId: (await findItem(store.db, '4'))!.milestones[0].id });
    await recordStatus(store.db, { ref: '10', status: 'at-risk', note: 'waiting on LGA sign-off', actor: 'U2', source: 'command', at: new Date('2017-02-10T10:00:00Z') });
    const historyBefore = await store.db.statusUpdate.findMany({ orderBy: { id: 'asc' } });

    const dir = copyOfPlans();
    edit(dir, 'ambition-2016-2021.yaml', 'Publish a toolkit on how to carry out', 'Publish a toolkit on how to do');
    edit(dir, 'ambition-2016-2021.yaml', 'lead: LGA / Taskforce Team\n        deadline: February 2017', 'lead: LGA\n        deadline: February 2017');
    edit(dir, 'ambition-2016-2021.yaml', 'May 2017 [commission]', 'June 2017 [commission]');
    edit(dir, 'ambition-2016-2021.yaml', 'deadline: July 2018', 'deadline: July 2018 [decide] December 2018 [publish decision]');
    const report = await importPlans(store.db, loadPlanFiles(dir), LATER);

    expect(report.itemsUpdated.sort()).toEqual(['10', '14', '4']);
    expect(report.itemsCreated).toEqual([]);
    const action10 = (await findItem(store.db, '10'))!;
    expect(action10.text).toMatch(/^Publish a toolkit on how to do evidence-based/);
    expect(action10.leads).toEqual(['LGA']);
    const action4 = (await findItem(store.db, '4'))!;
    expect(action4.milestones.map((m) => [m.part, m.rule])).toEqual([
      ['identify research', { kind: 'once', dueMonth: '2017-03' }],
      ['commission', { kind: 'once', dueMonth: '2017-06' }],
    ]);
    // The part marked done still points at "identify research".
    expect(action4.history.find((entry) => entry.deadlineId !== null)?.deadlineId).toBe(action4.milestones[0].id);
    const action14 = (await findItem(store.db, '14'))!;
    expect(action14.milestones.map((m) => m.part)).toEqual(['decide', 'publish decision']);

    expect(await store.db.statusUpdate.findMany({ orderBy: { id: 'asc' } })).toEqual(historyBefore);
    expect(changeCount(await importPlans(store.db, loadPlanFiles(dir), LATER))).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('an item gone from the files is retired, keeps its history, and comes back if restored', async () => {
    await recordStatus(store.db, { ref: '25', status: 'on-track', actor: 'U1', source: 'command', at: new Date('2017-04-01T10:00:00Z') });
    const dir = copyOfPlans();
    const file = path.join(dir, 'ambition-2016-2021.yaml');
    const content = fs.readFileSync(file, 'utf8');
    const start = content.indexOf('      - ref: "25"');
    const end = content.indexOf('  - code: central-government');
    fs.writeFileSync(file, content.slice(0, start) + content.slice(end));

    const report = await importPlans(store.db, loadPlanFiles(dir), LATER);
    expect(report.itemsRetired).toEqual(['25']);
    expect(await findItem(store.db, '25')).toBeNull();
    expect(await store.db.statusUpdate.count({ where: { item: { ref: '25' } } })).toBe(2);

    const back = await importPlans(store.db, loadPlanFiles(), LATER);
    // Positions after 25 shift back too, so those items count as updated as well.
    expect(back.itemsUpdated).toContain('25');
    expect(back.itemsCreated).toEqual([]);
    expect((await findItem(store.db, '25'))!.history.map((entry) => entry.status)).toEqual(['not-started', 'on-track']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['a misspelt field', 'deadline: April 2017', 'deadlin: April 2017', 'ambition-2016-2021.yaml: item 3: field "deadlin": is not a known field'],
    ['an unknown lead', 'lead: Arts Council England\n        deadline: March 2017 [identify', 'lead: Arts Council Englnd\n        deadline: March 2017 [identify', 'ambition-2016-2021.yaml: item 4: field "lead": "Arts Council Englnd" is not a lead in leads.yaml'],
    ['deadline words it cannot read', 'deadline: July 2018', 'deadline: Julyish 2018', 'ambition-2016-2021.yaml: item 14: field "deadline": cannot read the deadline "Julyish 2018"'],
    ['an empty text', 'text: "Consider whether a voluntary sector-led accreditation scheme would add value"', 'text: ""', 'ambition-2016-2021.yaml: item 14: field "text": must not be empty'],
    ['a wait on an item that does not exist', 'waitsOn: ["19"]', 'waitsOn: ["91"]', 'ambition-2016-2021.yaml: item LG10: field "waitsOn": no item has the ref "91"'],
    ['a ref used twice', 'ref: "1b"', 'ref: "1"', 'ambition-2016-2021.yaml: item 1: field "ref": is also used in ambition-2016-2021.yaml'],
    ['a wrong kind', 'ref: CG3\n        kind: challenge', 'ref: CG3\n        kind: chalenge', 'ambition-2016-2021.yaml: item CG3: field "kind": '],
  ])('a data file with %s is refused, naming file, item and field, and the database is unchanged', async (_label, from, to, message) => {
    const before = await snapshot(store.db);
    const dir = copyOfPlans();
    edit(dir, 'ambition-2016-2021.yaml', from, to);
    let error: unknown;
    try {
      await importPlans(store.db, loadPlanFiles(dir), LATER);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanFileError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect(await snapshot(store.db)).toEqual(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('invalid YAML is refused with the file named', () => {
    const dir = copyOfPlans();
    fs.writeFileSync(path.join(dir, 'leads.yaml'), 'leads:\n  - name: [unclosed\n');
    expect(() => loadPlanFiles(dir)).toThrow(/^leads\.yaml: is not valid YAML/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the data files in the repository load', () => {
    const files = loadPlanFiles(PLANS_DIR);
    expect(files.plans.map((plan) => plan.slug)).toEqual(['ambition-2016-2021', 'action-plan-to-march-2020']);
  });
});

describe('starting on an empty database', () => {
  test('the app migrates it and imports the plans; the next start imports nothing', async () => {
    const database = await scratchDatabase('start');
    const config = { databaseUrl: database.url, fixedNow: new Date('2017-05-15T08:00:00Z') };
    const first = await prepareStore(config);
    expect(first.imported?.itemsCreated).toHaveLength(80);
    expect(await first.store.db.planItem.count()).toBe(80);
    await first.store.close();
    const second = await prepareStore(config);
    expect(second.imported).toBeNull();
    await second.store.close();
    await database.drop();
  });
});
