import path from 'node:path';
import { loadPlanFiles, PLANS_DIR } from '../../src/plans/plan-files';
import { splitLeadWords } from '../../src/domain/leads';
import { loadItems, type PlanItemRecord } from '../../src/store/tracked-items';
import {
  ACTION_PLAN_2020_SOURCE,
  AMBITION_SOURCE,
  ambitionActions,
  ambitionChallenges,
  foundInSource,
  normalise,
} from '../helpers/seeds';
import { freshStore } from '../helpers/store';

/** The transcription, checked item by item against the copies of the two source texts. */
describe('the plans in the database', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let items: PlanItemRecord[];
  const byRef = (ref: string) => {
    const item = items.find((candidate) => candidate.ref === ref);
    if (!item) throw new Error(`no item ${ref}`);
    return item;
  };

  beforeAll(async () => {
    store = await freshStore();
    items = await loadItems(store.db);
  });
  afterAll(() => store.close());

  test('the source copies in the repository are the seeds', () => {
    const seeds = path.resolve(__dirname, '../../../shared/seeds');
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    if (!fs.existsSync(seeds)) return; // a clone without shared/ beside it checks against the copies alone
    expect(AMBITION_SOURCE).toBe(fs.readFileSync(path.join(seeds, '000_417b911b414814ea.txt'), 'utf8'));
    expect(ACTION_PLAN_2020_SOURCE).toBe(fs.readFileSync(path.join(seeds, '003_db1155fe5458a668.txt'), 'utf8'));
  });

  test('counts match the sources: 26 actions (1-25 and 1b), 5 + 12 challenges, 37 goals and outcomes', () => {
    const source = ambitionActions();
    expect(source).toHaveLength(26);
    expect(ambitionChallenges()).toHaveLength(17);
    const count = (kind: string) => items.filter((item) => item.kind === kind).length;
    expect(count('action')).toBe(source.length);
    expect(count('challenge')).toBe(17);
    expect(count('goal') + count('outcome')).toBe(37);
    expect(items).toHaveLength(26 + 17 + 37);
  });

  test.each(ambitionActions().map((action) => [action.ref, action]))(
    'action %s has the text, section, leads, deadline words and comment of the seed',
    (ref, source) => {
      const item = byRef(ref as string);
      expect(item.kind).toBe('action');
      expect(item.plan.slug).toBe('ambition-2016-2021');
      expect(normalise(item.text)).toBe(source.text);
      expect(item.section ?? '').toBe(source.section);
      expect(item.leadText).toBe(source.lead);
      expect(item.leads).toEqual(splitLeadWords(source.lead));
      expect(item.deadlineText).toBe(source.deadline);
      expect(normalise(item.comments ?? '')).toBe(source.comments);
      expect(item.priority).toBe(false);
    },
  );

  test.each(ambitionChallenges().map((challenge) => [challenge.ref, challenge]))(
    'challenge %s has the text, section and comment of the seed',
    (ref, source) => {
      const item = byRef(ref as string);
      expect(item.kind).toBe('challenge');
      expect(item.text).toBe(source.text);
      expect(item.section).toBe(source.section);
      expect(item.comments ?? '').toBe(source.comments);
      expect(item.milestones).toEqual([]);
      expect(item.theme?.code).toBe(ref.startsWith('CG') ? 'central-government' : 'local-government');
    },
  );

  test('actions sit under their themes', () => {
    expect(byRef('1b').theme?.title).toBe('Making the case for libraries');
    expect(byRef('9').theme?.title).toBe('Raising public awareness of what libraries have to offer');
    expect(byRef('18').theme?.title).toBe('Identifying and showcasing good practice and supporting innovation');
    expect(byRef('19').theme?.title).toBe('Supporting workforce development');
    expect(byRef('21').theme?.title).toBe('Supporting the development of the digital offer of libraries');
    expect(byRef('25').theme?.title).toBe('How we will take this forward: monitoring and reporting on progress');
  });

  test('leads are records of their own, shared between items', async () => {
    expect(byRef('10').leads).toEqual(['LGA', 'Taskforce Team']);
    expect(byRef('12').leads).toEqual(['DCMS', 'Arts Council England', 'Taskforce Team', 'Relevant Taskforce members']);
    const lga = await store.db.lead.findUniqueOrThrow({ where: { name: 'LGA' }, include: { items: { include: { item: true } } } });
    expect(lga.items.map((link) => link.item.ref).sort()).toEqual(['10', '13', '15', '16', '18']);
  });

  test('challenges that wait on an action say which, in the plan\'s words', () => {
    const waits = Object.fromEntries(items.filter((item) => item.waitsOn.length > 0).map((item) => [item.ref, item.waitsOn]));
    expect(waits).toEqual({
      LG3: [{ ref: '10', condition: 'Once the toolkit is published' }],
      LG4: [{ ref: '2', condition: 'Once the core dataset is defined' }],
      LG5: [{ ref: '13', condition: 'Once the framework is published' }],
      LG10: [{ ref: '19', condition: 'Once the strategy is published' }],
    });
  });

  test('every item starts not-started, from the import, with no other history', () => {
    for (const item of items) {
      expect(item.history.map((entry) => [entry.status, entry.actor, entry.source])).toEqual([['not-started', 'import', 'import']]);
    }
  });

  test('the 2018-2020 plan is rebuilt into its six work areas, with goals and outcomes in their columns', () => {
    const plan2020 = items.filter((item) => item.plan.slug === 'action-plan-to-march-2020');
    const shape: Record<string, Record<string, number>> = {};
    for (const item of plan2020) {
      const column = item.deadlineText!.split(';')[0];
      shape[item.theme!.code] ??= {};
      shape[item.theme!.code][column] = (shape[item.theme!.code][column] ?? 0) + 1;
    }
    expect(shape).toEqual({
      W1: { 'Goals in 2018': 4, 'Goals in 2019 and 2020': 4, 'Outcomes by 2021': 4 },
      W2: { 'Goals in 2018': 4, 'Goals in 2019 and 2020': 2, 'Outcomes by 2021': 3 },
      W3: { 'Goals in 2018': 3, 'Goals in 2019 and 2020': 3, 'Outcomes by 2021': 3 },
      W4: { 'Goals in 2018': 1, 'Goals in 2019 and 2020': 1, 'Outcomes by 2021': 2 },
      W5: { 'Goals in 2019 and 2020': 1, 'Outcomes by 2021': 1 },
      W6: { '6 monthly progress reports': 1 },
    });
    // Cells broken across the PDF's pages are joined again.
    expect(byRef('W1-21b').text).toBe(
      'Decision makers in both central and local government are aware of the way in which public libraries can help them achieve their strategic objectives and including libraries within their programmes and plans',
    );
    expect(byRef('W4-21b').text).toMatch(/library workforce and volunteers$/);
    expect(byRef('W1-18d').text).toBe('Greater recognition within councils of the role that public libraries can play in delivering their strategic objectives');
    expect(byRef('W3-20b').milestones.map((m) => [m.part, m.rule])).toEqual([
      [null, { kind: 'once', dueMonth: '2020-03' }],
      ['to be assessed', { kind: 'once', dueMonth: '2019-03' }],
    ]);
  });

  test('every text in the data files is found in its source copy: nothing mistyped or invented', () => {
    const files = loadPlanFiles(PLANS_DIR);
    const sources: Record<string, string> = {
      'ambition-2016-2021': AMBITION_SOURCE,
      'action-plan-to-march-2020': ACTION_PLAN_2020_SOURCE,
    };
    const problems: string[] = [];
    const check = (where: string, text: string | null, source: string) => {
      if (text === null) return;
      const result = foundInSource(text, source);
      if (!result.ok) problems.push(`${where}: "${result.missing}…"`);
    };
    for (const plan of files.plans) {
      const source = sources[plan.slug];
      check(`${plan.slug} title`, plan.title, source);
      check(`${plan.slug} subtitle`, plan.subtitle, source);
      check(`${plan.slug} summary`, plan.summary, source);
      for (const theme of plan.themes) {
        check(`theme ${theme.code}`, theme.title, source);
        check(`theme ${theme.code} description`, theme.description, source);
        for (const item of theme.items) {
          check(`${item.ref} text`, item.text, source);
          check(`${item.ref} comments`, item.comments, source);
          check(`${item.ref} lead`, item.leadText, source);
          for (const milestone of item.milestones) check(`${item.ref} deadline`, milestone.words, source);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('the source check itself catches a typo and an invented phrase', () => {
    expect(foundInSource('Publish a toolkit on how to carry out evidence-based planning', AMBITION_SOURCE).ok).toBe(false);
    expect(foundInSource('Publish a toolkt on how to carry out evidence-based, long-term', AMBITION_SOURCE).ok).toBe(false);
    expect(foundInSource('Publish a toolkit on how to carry out evidence-based, long-term', AMBITION_SOURCE).ok).toBe(true);
  });
});
