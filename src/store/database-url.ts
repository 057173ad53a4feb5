import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./data/taskforce.db';

export type DatabaseKind = 'sqlite' | 'postgresql';

export function databaseKind(url: string): DatabaseKind | null {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  return null;
}

/**
 * The SQLite file a `file:` URL names (relative paths from the working directory), with its
 * folder created, so that a fresh clone needs no set-up.
 */
export function sqliteFilePath(url: string = DEFAULT_DATABASE_URL): string {
  if (!url.startsWith('file:')) throw new Error('not a SQLite file: URL');
  const file = path.resolve(url.slice('file:'.length).split('?')[0]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/** A URL fit for logs: the password, if any, replaced. */
export function redactedUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
