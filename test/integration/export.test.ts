import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseExportArgs } from '../../src/cli/export-args';
import { scratchDatabase, scratchDir } from '../helpers/store';

const ROOT = path.resolve(__dirname, '../..');


function runExport(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(field), (field = '');
    else if (char === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += char;
  }
  return rows;
}

describe('open-data export from the command line', () => {
  let dir: string;
  let env: Record<string, string>;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeAll(async () => {
    dir = scratchDir('export');
    database = await scratchDatabase('export');
    env = { DATABASE_URL: database.url, TASKFORCE_NOW: '2017-05-15T09:00' };
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  test('CSV: a header and one row per item, with status and deadlines as of TASKFORCE_NOW', () => {
    const result = runExport(['csv'], env);
    expect(result.status).toBe(0);
    const [header, ...rows] = parseCsv(result.stdout);
    expect(rows).toHaveLength(80);
    const record = (ref: string) => Object.fromEntries(header.map((name, i) => [name, rows.find((r) => r[2] === ref)![i]]));
    expect(record('3')).toMatchObject({ plan: 'ambition-2016-2021', ref: '3', status: 'not-started', overdue_since: '2017-04-30', next_due: '', ambition_section: '5/8' });
    expect(record('14')).toMatchObject({ overdue_since: '', next_due: '2018-07-31', deadline_words: 'July 2018', comments: 'Allow time for sector-led benchmarking framework to be adopted prior to consideration' });
    expect(record('12')).toMatchObject({ leads: 'DCMS; Arts Council England; Taskforce Team; Relevant Taskforce members' });
    expect(record('12').text).toContain('innovation fund:\n• support those people');
    expect(record('LG3')).toMatchObject({ waits_on: '10', comments: 'Once the toolkit is published' });
  });

  test('JSON to a file: deadlines with every occurrence and its state', () => {
    const out = path.join(dir, 'plan.json');
    const result = runExport(['json', '--out', out], env);
    expect(result.status).toBe(0);
    const data = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(data.asOf).toBe('2017-05-15T08:00:00.000Z');
    expect(data.timeZone).toBe('Europe/London');
    const action4 = data.items.find((item: { ref: string }) => item.ref === '4');
    expect(action4.deadlines).toEqual([
      { words: 'March 2017 [identify research]', part: 'identify research', rule: 'once', occurrences: [{ due: '2017-03-31', state: 'overdue' }] },
      { words: 'May 2017 [commission]', part: 'commission', rule: 'once', occurrences: [{ due: '2017-05-31', state: 'upcoming' }] },
    ]);
  });

  test.each([
    [['xml'], 'export: unknown format "xml"; usage: npm run export -- <csv|json|ics> [--lead NAME (ics only)] [--out FILE]'],
    [[], 'export: usage: npm run export -- <csv|json|ics> [--lead NAME (ics only)] [--out FILE]'],
    [['csv', '--to', 'x'], 'export: unexpected "--to x"; usage: npm run export -- <csv|json|ics> [--lead NAME (ics only)] [--out FILE]'],
    [['ics', '--lead'], 'export: --lead needs a value; usage: npm run export -- <csv|json|ics> [--lead NAME (ics only)] [--out FILE]'],
    [['csv', '--lead', 'DCMS'], 'export: --lead is for the ics format only; usage: npm run export -- <csv|json|ics> [--lead NAME (ics only)] [--out FILE]'],
    [['ics', '--lead', 'DCMS', '--lead', 'LGA'], 'export: --lead given twice; usage: npm run export -- <csv|json|ics> [--lead NAME (ics only)] [--out FILE]'],
  ])('bad arguments %j: exit 2 and one line', (args, line) => {
    const result = runExport(args, env);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${line}\n`);
    expect(result.stdout).toBe('');
  });

  test('a bad setting: exit 1 and one line naming it', () => {
    const result = runExport(['csv'], { ...env, TASKFORCE_NOW: 'yesterday' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'export: TASKFORCE_NOW must be an ISO date-time such as 2017-05-15T09:00 (plan time zone) or 2017-05-15T08:00Z',
    ]);
  });

  test('argument parsing is a pure function', () => {
    expect(parseExportArgs(['json', '--out', 'a.json'])).toEqual({ format: 'json', out: 'a.json', lead: null });
    expect(parseExportArgs(['ics', '--lead', 'Arts Council England', '--out', 'a.ics'])).toEqual({ format: 'ics', out: 'a.ics', lead: 'Arts Council England' });
  });
});
