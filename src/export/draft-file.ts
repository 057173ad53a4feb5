import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a draft without overwriting one already there (a person may have edited it): the next
 * free name, progress-report-….md, then …-2.md, …-3.md. `force` writes over the given file.
 * Returns the file written.
 */
export function writeDraft(file: string, content: string, force = false): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { dir, name, ext } = path.parse(file);
  for (let copy = 1; ; copy++) {
    const candidate = copy === 1 ? file : path.join(dir, `${name}-${copy}${ext}`);
    try {
      fs.writeFileSync(candidate, content, { flag: force && copy === 1 ? 'w' : 'wx' });
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
