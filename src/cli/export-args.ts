import { UsageError } from './run';

const USAGE = 'usage: npm run export -- <csv|json> [--out FILE]';

export function parseExportArgs(args: string[]): { format: 'csv' | 'json'; out: string | null } {
  const [format, ...rest] = args;
  if (format !== 'csv' && format !== 'json') {
    throw new UsageError(format ? `unknown format "${format}"; ${USAGE}` : USAGE);
  }
  if (rest.length === 0) return { format, out: null };
  if (rest.length === 2 && rest[0] === '--out' && rest[1]) return { format, out: rest[1] };
  throw new UsageError(`unexpected "${rest.join(' ')}"; ${USAGE}`);
}
