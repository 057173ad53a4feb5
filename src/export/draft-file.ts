import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a draft without overwriting one already there (a person may have edited it): the next
 * free name, progress-report-….md, then …-2.md, …-3.md. `force` writes over the given file.
 * Returns the file written.
 */
export function writeDraft(file: string, content: string, force = false): string {
  return writeDrafts([{ file, content }], force)[0];
}

/**
 * Writes files that belong together (a report's Markdown, HTML and PDF) under one free name: the
 * first copy number at which none of them exists, so that x-2.md and x-2.html are the same draft.
 * `force` writes over the given files. Returns the files written, in order.
 */
export function writeDrafts(files: readonly { file: string; content: string | Buffer }[], force = false): string[] {
  for (const { file } of files) fs.mkdirSync(path.dirname(file), { recursive: true });
  const named = (file: string, copy: number) => {
    const { dir, name, ext } = path.parse(file);
    return copy === 1 ? file : path.join(dir, `${name}-${copy}${ext}`);
  };
  for (let copy = 1; ; copy++) {
    if (!(force && copy === 1) && files.some(({ file }) => fs.existsSync(named(file, copy)))) continue;
    const written: string[] = [];
    try {
      for (const { file, content } of files) {
        const candidate = named(file, copy);
        fs.writeFileSync(candidate, content, { flag: force && copy === 1 ? 'w' : 'wx' });
        written.push(candidate);
      }
      return written;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another writer took this name between the check and the write: leave it whole to them.
      for (const file of written) fs.rmSync(file, { force: true });
    }
  }
}
