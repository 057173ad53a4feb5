import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildReport, reportPeriod } from '../../src/domain/report';
import { buildOpenData, toCsv } from '../../src/export/open-data';
import { findItem, loadItems, recordStatus } from '../../src/store/tracked-items';
import { freshStore, scratchDatabase, scratchDir, TIME_ZONE } from '../helpers/store';

describe('the six-monthly progress report draft', () => {
  test('covers the six months to the next April or October', () => {
    expect(reportPeriod(new Date('2017-04-20T09:00:00Z'), TIME_ZONE)).toEqual({ from: '2016-11', to: '2017-04' });
    expect(reportPeriod(new Date('2017-05-15T09:00:00Z'), TIME_ZONE)).toEqual({ from: '2017-05', to: '2017-10' });
    expect(reportPeriod(new Date('2017-05-15T09:00:00Z'), TIME_ZONE, '2017-04')).toEqual({ from: '2016-11', to: '2017-04' });
  });

  test('per plan and theme, each item with its status, the changes in the period and their notes', async () => {
    const store = await freshStore();
    await recordStatus(store.db, { ref: '10', status: 'on-track', note: 'prototype out for consultation', actor: 'U0LGA', source: 'command', at: new Date('2017-02-01T10:00:00Z') });
    await recordStatus(store.db, { ref: '10', status: 'done', note: 'toolkit published', actor: 'U0LGA', source: 'command', at: new Date('2017-04-10T10:00:00Z') });
    const commission = (await findItem(store.db, '4'))!.milestones.find((m) => m.part === 'commission')!;
    await recordStatus(store.db, { ref: '4', status: 'done', deadlineId: commission.id, actor: 'U0ACE', source: 'command', at: new Date('2017-03-02T10:00:00Z') });
    await recordStatus(store.db, { ref: '3', status: 'at-risk', actor: 'U0ANN', source: 'command', at: new Date('2017-05-02T10:00:00Z') }); // after the period
    const markdown = buildReport(await loadItems(store.db), { from: '2016-11', to: '2017-04' }, new Date('2017-05-10T09:00:00Z'), { timeZone: TIME_ZONE, meetings: [] });
    await store.close();

    expect(markdown).toMatch(/^# Progress report: November 2016 to April 2017 \(draft\)\n/);
    expect(markdown).toContain('- Done (green): 1\n');
    expect(markdown).toContain('- Status updates in the period: 3\n');
    expect(markdown).toContain('### Identifying and showcasing good practice and supporting innovation');
    expect(markdown).toContain(
      '- **10** Publish a toolkit on how to carry out evidence-based, long-term and sustainable planning, based on established sector good practice, case studies and the 7 design principles\n' +
        '  - Lead: LGA, Taskforce Team · Status: **Done** (green)\n' +
        '  - 1 Feb 2017: On track — prototype out for consultation\n' +
        '  - 10 Apr 2017: Done — toolkit published\n',
    );
    expect(markdown).toContain('  - Lead: Arts Council England · Status: **Not started** · 1 of 2 parts done\n  - 2 Mar 2017: “commission” done\n');
    expect(markdown).toContain('- **3** Establish current baselines and agree progress indicators for all 7 Outcomes and publish them\n  - Lead: Taskforce members · Status: **Not started**\n');
    expect(markdown).toContain('## Libraries Taskforce: Action Plan to March 2020');
  });

  test('an item with every part done reads as Done, in the report and in the export', async () => {
    const store = await freshStore();
    const item = (await findItem(store.db, '4'))!;
    for (const [index, milestone] of item.milestones.entries()) {
      await recordStatus(store.db, { ref: '4', status: 'done', deadlineId: milestone.id, actor: 'U0ACE', source: 'command', at: new Date(Date.UTC(2017, 2, 2 + index)) });
    }
    const items = await loadItems(store.db);
    await store.close();
    const context = { timeZone: TIME_ZONE, meetings: [] };
    const markdown = buildReport(items, { from: '2016-11', to: '2017-04' }, new Date('2017-05-10T09:00:00Z'), context);
    expect(markdown).toContain('  - Lead: Arts Council England · Status: **Done** (green) · 2 of 2 parts done\n');
    const data = buildOpenData(items, new Date('2017-05-10T09:00:00Z'), context);
    expect(data.items.find((entry) => entry.ref === '4')).toMatchObject({ status: 'done', rag: 'green', partsDone: 2, partsTotal: 2, overdueSince: null });
    expect(data.items.find((entry) => entry.ref === '12')).toMatchObject({ partsDone: null, partsTotal: null });
    const [header, ...rows] = toCsv(data).split('\r\n');
    expect(header).toContain(',status,parts_done,parts_total,rag,');
    expect(rows.find((row) => row.startsWith('ambition-2016-2021,') && /,4,action,/.test(row))).toContain(',done,2,2,green,');
  });

  test('npm run report writes the draft to a file; a bad period exits 2 with one line', async () => {
    const dir = scratchDir('report');
    const database = await scratchDatabase('report');
    const root = path.resolve(__dirname, '../..');
    const env = { ...process.env, DATABASE_URL: database.url, TASKFORCE_NOW: '2017-04-20T09:00' };
    const out = path.join(dir, 'draft.md');
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/report.ts', '--out', out], { cwd: root, env, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^# Progress report: November 2016 to April 2017 \(draft\)/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/report.ts', '2017-05'], { cwd: root, env, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });
});
