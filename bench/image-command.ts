/**
 * How the Docker image starts the bot, read from a tree's Dockerfile: its CMD's arguments to node,
 * and the NODE_OPTIONS it sets. The bench and the compiled build's test start `dist/main.js`
 * exactly so, and the bench reads each tree's own Dockerfile (today's set no NODE_OPTIONS).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ImageCommand {
  /** What follows `node` in the CMD, e.g. ["dist/main.js"]. */
  args: string[];
  /** The image's NODE_OPTIONS, or "" when it sets none. */
  nodeOptions: string;
}

export function imageCommand(root: string): ImageCommand {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const cmd = /^CMD (\[.*\])\s*$/m.exec(dockerfile);
  if (!cmd) throw new Error(`${root}/Dockerfile has no CMD in JSON form`);
  const [program, ...args] = JSON.parse(cmd[1]) as string[];
  if (program !== 'node') throw new Error(`the image's CMD runs ${program}, not node`);
  const nodeOptions = /^ENV NODE_OPTIONS="([^"]*)"\s*$/m.exec(dockerfile)?.[1] ?? '';
  return { args, nodeOptions };
}
