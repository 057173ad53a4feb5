import fs from 'node:fs';
import path from 'node:path';
import { prepareStore } from '../bootstrap';
import { readConfig } from '../config';
import { isMonth } from '../domain/time';
import { draftReport } from '../taskforce/digests';
import { runCli, UsageError } from './run';

const USAGE = 'usage: npm run report -- [YYYY-04 | YYYY-10] [--out FILE]';

export function parseReportArgs(args: string[]): { endMonth: string | null; out: string | null } {
  let endMonth: string | null = null;
  let out: string | null = null;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--out' && args[index + 1]) out = args[++index];
    else if (endMonth === null && isMonth(arg) && /-(04|10)$/.test(arg)) endMonth = arg;
    else throw new UsageError(`unexpected "${arg}": a report ends in April or October (e.g. 2017-04); ${USAGE}`);
  }
  return { endMonth, out };
}

/** `npm run report`: writes the draft six-monthly progress report as a Markdown file. */
runCli('report', async () => {
  const { endMonth, out } = parseReportArgs(process.argv.slice(2));
  const config = readConfig();
  const { store, clock } = await prepareStore(config);
  try {
    const draft = await draftReport({ db: store.db, clock, timeZone: config.timeZone }, endMonth);
    const file = path.resolve(out ?? path.join('reports', draft.filename));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, draft.markdown);
    process.stdout.write(`wrote the draft progress report for ${draft.period.from} to ${draft.period.to} to ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await store.close();
  }
});
