import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./data/taskforce.db';

export type DatabaseKind = 'sqlite' | 'postgresql';

export function databaseKind(url: string): DatabaseKind | null {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  return null;
}

/** The database's location is unusable (a folder that cannot be made or written): one line says which. */
export class DatabaseLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseLocationError';
  }
}

/**
 * Makes a folder and the missing ones above it, one level at a time. Not mkdirSync's `recursive`:
 * where a level can never be made (under /proc) Node retries it for ever, and the start hangs.
 */
function makeFolder(folder: string): void {
  const missing: string[] = [];
  for (let level = folder; !fs.existsSync(level); level = path.dirname(level)) missing.unshift(level);
  for (const level of missing) fs.mkdirSync(level);
}

/**
 * The SQLite file a `file:` URL names (relative paths from the working directory), with its
 * folder created, so that a fresh clone needs no set-up. A folder that cannot be made or written
 * is refused here with one line, before SQLite tries it.
 */
export function sqliteFilePath(url: string = DEFAULT_DATABASE_URL): string {
  if (!url.startsWith('file:')) throw new Error('not a SQLite file: URL');
  const file = path.resolve(url.slice('file:'.length).split('?')[0]);
  const folder = path.dirname(file);
  try {
    makeFolder(folder);
    fs.accessSync(folder, fs.constants.W_OK);
  } catch (error) {
    throw new DatabaseLocationError(`DATABASE_URL names ${file}, but its folder ${folder} cannot be created or written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return file;
}

/**
 * A database URL fit for logs: scheme, host, port and database only. User names, passwords and
 * every query parameter (password=, sslpassword=, sslkey=…) are left out, whatever their spelling;
 * a URL that does not parse is not shown at all.
 */
export function redactedUrl(url: string): string {
  if (databaseKind(url) === 'sqlite') return `file:${url.slice('file:'.length).split('?')[0]}`;
  let parsed: URL;
  try {
    // An unencoded "@" in the password ("pw@rd@host") makes URL take the host after the last "@",
    // as the pg driver does.
    parsed = new URL(url);
  } catch {
    return '(a database URL that does not parse)';
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
