import { PassThrough } from 'node:stream';
import { runConsole } from '../../src/console/console';
import type { Taskforce } from '../../src/taskforce/context';

/** Types lines into the console and collects everything it prints. */
export async function session(taskforce: Taskforce, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => (printed += chunk));
  const done = runConsole(taskforce, input, output, (error) => {
    throw error;
  });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}
