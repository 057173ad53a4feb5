import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

/**
 * The environment of a bot in HTTP mode on a database, talking to the Slack stand-in at `apiUrl`,
 * with U0ADMIN as its admin; `extra` adds to it or overrides it.
 */
export function httpBotEnv(databaseUrl: string, apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: apiUrl,
    PORT: '0',
    TASKFORCE_ADMINS: 'U0ADMIN',
    ...extra,
  };
}

/** Starts `npm start`'s entry point in HTTP mode, as its own process; resolves once it listens. */
export function startBot(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('mode: HTTP')) {
        clearInterval(timer);
        resolve({ child, output: () => output });
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`bot exited with ${code}: ${output}`));
    });
  });
}

/** SIGTERM, and the exit code. */
export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode; // it is gone already
  child.removeAllListeners('exit');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

export function listeningPort(output: string): number {
  return Number(/listening on port (\d+)/.exec(output)![1]);
}
