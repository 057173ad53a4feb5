import fs from 'node:fs';
import path from 'node:path';

/** Where the console writes the charts it draws. */
export const CONSOLE_CHARTS_DIR = path.resolve('data', 'charts');

/** Writes a chart's PNG (the same name is the same chart: it is written over) and returns its path relative to here. */
export function writeChartFile(dir: string, filename: string, png: Buffer): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, filename);
  fs.writeFileSync(file, png);
  return path.relative(process.cwd(), file) || file;
}

/** A tracked chart's file name comes from its ledger key: what a retry looks for in the thread. */
export function trackedFileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9]+/g, '-')}.png`;
}
