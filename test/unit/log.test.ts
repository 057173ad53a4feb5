import { boltLogger, createLog, readableLine, withLogContext } from '../../src/log';

function capture(json = true, level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const log = createLog({ level, json, secrets: ['xoxb-secret-token', 'hunter22'], write: (line) => lines.push(line) });
  return { log, lines };
}

describe('the logger', () => {
  test('JSON lines with the level by name, and the request or send under way', async () => {
    const { log, lines } = capture();
    await withLogContext({ request: 'T123.456' }, async () => {
      await Promise.resolve();
      withLogContext({ send: 'reminder:1' }, () => log.warn('retrying'));
    });
    log.info('outside');
    const [inside, outside] = lines.map((line) => JSON.parse(line));
    expect(inside).toMatchObject({ level: 'warn', msg: 'retrying', request: 'T123.456', send: 'reminder:1' });
    expect(outside).toMatchObject({ level: 'info', msg: 'outside' });
    expect(outside.request).toBeUndefined();
  });

  test('a configured secret never reaches a line, in a message, a field or an error; known keys are redacted', () => {
    const { log, lines } = capture();
    log.info('posting with xoxb-secret-token');
    log.info({ url: 'postgresql://bot:hunter22@db/taskforce' }, 'connecting');
    log.error({ err: new Error('auth failed for xoxb-secret-token') }, 'failed');
    log.info({ botToken: 'another-value', headers: { authorization: 'Bearer abc' } }, 'config');
    const all = lines.join('');
    expect(all).not.toContain('xoxb-secret-token');
    expect(all).not.toContain('hunter22');
    expect(all).not.toContain('another-value');
    expect(all).not.toContain('Bearer abc');
    expect(all.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  test('readable lines for a terminal: time, level, message, fields, then the stack', () => {
    const line = readableLine(JSON.stringify({ level: 'warn', time: '2026-12-01T12:51:33.096Z', msg: 'will retry', send: 'reminder:1', err: { stack: 'Error: x\n    at y' } }));
    expect(line).toBe('12:51:33.096 WARN  will retry  send=reminder:1\n    Error: x\n        at y\n');
    const { log, lines } = capture(false);
    log.info('hello');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  hello\n$/);
  });

  test("Bolt's logger writes through it: levels kept, an Error as err, LOG_LEVEL obeyed", () => {
    const { log, lines } = capture();
    const bolt = boltLogger(log);
    bolt.setName('bolt-app');
    bolt.debug('not at info');
    bolt.error('listener failed', new Error('boom'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', msg: 'listener failed', component: 'bolt-app', err: { message: 'boom' } });
    expect(bolt.getLevel()).toBe('info');
  });
});
