import { UsageError } from './run';

const USAGE = 'usage: npm run export -- <csv|json|ics> [--lead NAME (ics only)] [--out FILE]';

export type ExportFormat = 'csv' | 'json' | 'ics';

export interface ExportArgs {
  format: ExportFormat;
  out: string | null;
  /** ics: only this lead's deadlines (and the meetings). */
  lead: string | null;
}

export function parseExportArgs(args: string[]): ExportArgs {
  const [format, ...rest] = args;
  if (format !== 'csv' && format !== 'json' && format !== 'ics') {
    throw new UsageError(format ? `unknown format "${format}"; ${USAGE}` : USAGE);
  }
  const options: { out: string | null; lead: string | null } = { out: null, lead: null };
  for (let index = 0; index < rest.length; index += 2) {
    const [flag, value] = [rest[index], rest[index + 1]];
    const name = flag === '--out' ? 'out' : flag === '--lead' ? 'lead' : null;
    if (name === null) throw new UsageError(`unexpected "${rest.slice(index).join(' ')}"; ${USAGE}`);
    if (name === 'lead' && format !== 'ics') throw new UsageError(`--lead is for the ics format only; ${USAGE}`);
    if (value === undefined || value.trim() === '' || value.startsWith('--')) throw new UsageError(`${flag} needs a value; ${USAGE}`);
    if (options[name] !== null) throw new UsageError(`${flag} given twice; ${USAGE}`);
    options[name] = value.trim();
  }
  return { format, ...options };
}
