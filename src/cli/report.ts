import path from 'node:path';
import { prepareStore } from '../bootstrap';
import { readConfig } from '../config';
import { isMonth, localDate } from '../domain/time';
import { writeDraft } from '../export/draft-file';
import { draftReport } from '../taskforce/digests';
import { runCli, UsageError } from './run';

const USAGE = 'usage: npm run report -- [YYYY-04 | YYYY-10] [--out FILE] [--force]';

export function parseReportArgs(args: string[]): { endMonth: string | null; out: string | null; force: boolean } {
  let endMonth: string | null = null;
  let out: string | null = null;
  let force = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--out' && args[index + 1] && !args[index + 1].startsWith('--')) out = args[++index];
    else if (arg === '--out') throw new UsageError(`--out needs a file name; ${USAGE}`);
    else if (arg === '--force') force = true;
    else if (endMonth === null && isMonth(arg) && /-(04|10)$/.test(arg)) endMonth = arg;
    else throw new UsageError(`unexpected "${arg.slice(0, 40)}": a report ends in April or October (e.g. 2017-04); ${USAGE}`);
  }
  return { endMonth, out, force };
}

/**
 * `npm run report`: writes the draft six-monthly progress report as a Markdown file. The period is
 * the one given, or the next due from the clock (TASKFORCE_NOW when set, else today), and the
 * line printed says which; an existing draft is kept (a new name) unless --force.
 */
runCli('report', async () => {
  const { endMonth, out, force } = parseReportArgs(process.argv.slice(2));
  const config = readConfig();
  const { store, clock } = await prepareStore(config);
  try {
    const draft = await draftReport({ db: store.db, clock, timeZone: config.timeZone }, endMonth);
    const file = writeDraft(path.resolve(out ?? path.join('reports', draft.filename)), draft.markdown, force);
    const from = endMonth ? 'as asked' : `the next due from ${config.fixedNow ? 'TASKFORCE_NOW' : 'today'}, ${localDate(clock.now(), config.timeZone)}; give a period to choose another`;
    process.stdout.write(`wrote the draft progress report for ${draft.period.from} to ${draft.period.to} (${from}) to ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await store.close();
  }
});
