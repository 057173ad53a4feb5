import path from 'node:path';
import { prepareStore } from '../bootstrap';
import { readConfig } from '../config';
import { isMonth, localDate } from '../domain/time';
import { writeDrafts } from '../export/draft-file';
import { reportPdf } from '../export/report-pdf';
import { draftReport, reportFiles } from '../taskforce/digests';
import { runCli, UsageError } from './run';

const USAGE = 'usage: npm run report -- [YYYY-04 | YYYY-10] [--out FILE.md] [--force]';

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
  // The HTML and PDF go beside the Markdown under its name: --out names the Markdown.
  if (out && /\.(html?|pdf)$/i.test(out)) throw new UsageError(`--out names the Markdown file (e.g. draft.md); the HTML and PDF are written beside it; ${USAGE}`);
  return { endMonth, out, force };
}

/**
 * `npm run report`: writes the six-monthly progress report, a Markdown draft with the HTML page
 * and PDF beside it, under one name. The period is the one given, or the next due from the clock
 * (TASKFORCE_NOW when set, else today), and the line printed says which; existing files are kept
 * (a new name) unless --force.
 */
runCli('report', async () => {
  const { endMonth, out, force } = parseReportArgs(process.argv.slice(2));
  const config = readConfig();
  const { store, clock } = await prepareStore(config);
  try {
    const draft = await draftReport({ db: store.db, clock, timeZone: config.timeZone }, endMonth);
    const pdf = await reportPdf(draft.html);
    const markdownFile = path.resolve(out ?? path.join('reports', `${draft.basename}.md`));
    const { dir, name } = path.parse(markdownFile);
    const files = reportFiles(draft, pdf).map((file, index) => ({ file: index === 0 ? markdownFile : path.join(dir, name + path.extname(file.filename)), content: file.content }));
    const written = writeDrafts(files, force).map((file) => path.relative(process.cwd(), file));
    const from = endMonth ? 'as asked' : `the next due from ${config.fixedNow ? 'TASKFORCE_NOW' : 'today'}, ${localDate(clock.now(), config.timeZone)}; give a period to choose another`;
    process.stdout.write(`wrote the draft progress report for ${draft.period.from} to ${draft.period.to} (${from}) to ${written.join(', ')}\n`);
    if ('skipped' in pdf) process.stdout.write(`${pdf.skipped}\n`);
  } finally {
    await store.close();
  }
});
