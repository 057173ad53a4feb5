import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport, reportPeriod } from '../../src/domain/report';
import { loadItems, recordStatus } from '../../src/store/tracked-items';
import { freshStore, scratchDatabase, scratchDir, TIME_ZONE } from '../helpers/store';

const context = { timeZone: TIME_ZONE, meetings: [] };
const MID_MAY_2017 = new Date('2017-05-15T08:00:00Z');

describe('issue 11 point 9: the report counts the right day', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    store = await freshStore();
  });
  afterEach(() => store.close());

  test('a period still ahead: overdue as of today, named, and what will be overdue at its end unless met', async () => {
    const period = reportPeriod(MID_MAY_2017, TIME_ZONE);
    const draft = buildReport(await loadItems(store.db), period, MID_MAY_2017, context);
    expect(draft).not.toContain('at the end of the period:');
    expect(draft).toContain('- Deadlines overdue as of 15 May 2017: 24\n');
    expect(draft).toContain('- Overdue at the end of the period (31 October 2017, still ahead) unless met before then: 28\n');

    // Action 20 is due in July 2017: once met, it is not counted as overdue at the end.
    await recordStatus(store.db, { ref: '20', status: 'done', actor: 'U0ACE', source: 'command', at: new Date('2017-05-15T07:00:00Z') });
    const after = buildReport(await loadItems(store.db), period, MID_MAY_2017, context);
    expect(after).toContain('- Deadlines overdue as of 15 May 2017: 24\n');
    expect(after).toContain('unless met before then: 27\n');
  });

  test('a period that has ended: overdue as of its last day, whenever the draft is made', async () => {
    const period = { from: '2017-05', to: '2017-10' };
    const items = await loadItems(store.db);
    for (const asOf of [new Date('2017-11-02T09:00:00Z'), new Date('2026-12-01T09:00:00Z')]) {
      expect(buildReport(items, period, asOf, context)).toContain('- Deadlines overdue at the end of the period (31 October 2017): 28\n');
    }
  });

  test('bullets in an item\'s text stay a list under the item, apart from its lead and status', async () => {
    const draft = buildReport(await loadItems(store.db), reportPeriod(MID_MAY_2017, TIME_ZONE), MID_MAY_2017, context);
    expect(draft).toContain(
      "- **12** Ensure that the projects delivered through the £4 million 'Libraries: Opportunities for Everyone' innovation fund:\n" +
        '  * support those people living in the most disadvantaged areas, providing them with opportunities they might not otherwise have access to\n' +
        '  * are rigorously evaluated to build an evidence base that can be used to capture learning, encourage wider adoption of successful approaches, and secure further investment\n' +
        '  - Lead: DCMS, Arts Council England, Taskforce Team, Relevant Taskforce members · Status: **Not started**\n',
    );
  });
});

describe('issue 11 point 9: npm run report', () => {
  const root = path.resolve(__dirname, '../..');
  const run = (args: string[], env: NodeJS.ProcessEnv, cwd: string) =>
    // Run from a scratch folder (reports/ is relative to it), so tsx is named by its path.
    spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(root, 'src/cli/report.ts'), ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });

  test('says where the period came from, never overwrites a draft unless --force, and refuses bad arguments in one line', async () => {
    const dir = scratchDir('report-cli');
    const database = await scratchDatabase('report-cli');
    const env = { DATABASE_URL: database.url, TASKFORCE_NOW: '' };
    try {
      const rehearsal = run([], { ...env, TASKFORCE_NOW: '2017-05-15T09:00' }, dir);
      expect(rehearsal.status).toBe(0);
      expect(rehearsal.stdout).toBe('wrote the draft progress report for 2017-05 to 2017-10 (the next due from TASKFORCE_NOW, 2017-05-15; give a period to choose another) to reports/progress-report-2017-05-to-2017-10.md, reports/progress-report-2017-05-to-2017-10.html, reports/progress-report-2017-05-to-2017-10.pdf\n');
      // The HTML page and its PDF are written beside the Markdown, under the same name.
      expect(fs.readFileSync(path.join(dir, 'reports/progress-report-2017-05-to-2017-10.html'), 'utf8')).toMatch(/^<!DOCTYPE html>[^]*<h1>Progress report: May 2017 to October 2017<\/h1>/);
      expect(fs.readFileSync(path.join(dir, 'reports/progress-report-2017-05-to-2017-10.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      const first = path.join(dir, 'reports/progress-report-2017-05-to-2017-10.md');
      fs.writeFileSync(first, 'edited by hand\n');

      // Without TASKFORCE_NOW the clock decides, and says so; the period given wins over it.
      const asked = run(['2017-10'], env, dir);
      expect(asked.status).toBe(0);
      expect(asked.stdout).toBe('wrote the draft progress report for 2017-05 to 2017-10 (as asked) to reports/progress-report-2017-05-to-2017-10-2.md, reports/progress-report-2017-05-to-2017-10-2.html, reports/progress-report-2017-05-to-2017-10-2.pdf\n');
      expect(fs.readFileSync(first, 'utf8')).toBe('edited by hand\n');
      expect(fs.readFileSync(path.join(dir, 'reports/progress-report-2017-05-to-2017-10-2.md'), 'utf8')).toContain('- Deadlines overdue at the end of the period (31 October 2017): 28\n');
      const today = run(['--out', 'today.md'], env, dir);
      expect(today.stdout).toMatch(/^wrote the draft progress report for \d{4}-(05|11) to \d{4}-(10|04) \(the next due from today, \d{4}-\d{2}-\d{2}; give a period to choose another\) to today\.md, today\.html, today\.pdf\n$/);

      const forced = run(['2017-10', '--force'], env, dir);
      expect(forced.stdout).toContain('to reports/progress-report-2017-05-to-2017-10.md, reports/progress-report-2017-05-to-2017-10.html, reports/progress-report-2017-05-to-2017-10.pdf\n');
      expect(fs.readFileSync(first, 'utf8')).toMatch(/^# Progress report: May 2017 to October 2017/);

      for (const bad of [['2017-05'], ['--out'], ['2017-10', '2018-04'], ['--frobnicate'], ['--out', 'report.html']]) {
        const refused = run(bad, env, dir);
        expect(refused.status).toBe(2);
        expect(refused.stdout).toBe('');
        expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await database.drop();
    }
    // Four runs of the CLI, each drawing the charts and starting Chromium for the PDF.
  }, 180_000);
});
