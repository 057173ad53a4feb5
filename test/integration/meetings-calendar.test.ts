import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { meetingsCalendar } from '../../src/jobs/meetings-calendar';
import { freshStore } from '../helpers/store';

function calendar(start: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN', 'BEGIN:VEVENT', 'UID:meeting@example.org', 'DTSTAMP:20170101T000000Z', `DTSTART;TZID=Europe/London:${start}`, 'SUMMARY:Taskforce meeting', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

describe('a meetings calendar at a URL (an http server on 127.0.0.1: http is allowed for loopback only)', () => {
  let server: http.Server;
  let served = { status: 200, body: calendar('20170526T140000') };
  let requests = 0;
  let url: string;
  let store: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    server = http.createServer((_request, response) => {
      requests++;
      response.writeHead(served.status, { 'content-type': 'text/calendar' });
      response.end(served.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/private-s3cret/basic.ics`;
    store = await freshStore();
  });
  afterAll(async () => {
    await store.close();
    await new Promise((resolve) => server.close(resolve));
  });

  test('read at the first sweep, then at most hourly; a failure is logged by host only and changes nothing', async () => {
    const log: string[] = [];
    const source = meetingsCalendar({ kind: 'url', url }, store.db);
    const start = new Date('2017-05-15T08:00:00Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    const startsAt = async () => (await store.db.meeting.findUniqueOrThrow({ where: { calendarUid: 'meeting@example.org' } })).startsAt.toISOString();

    await source.refresh(start, (line) => log.push(line));
    expect(requests).toBe(1);
    expect(await startsAt()).toBe('2017-05-26T13:00:00.000Z');

    served = { status: 200, body: calendar('20170602T140000') };
    await source.refresh(at(1), (line) => log.push(line));
    await source.refresh(at(59), (line) => log.push(line));
    expect(requests).toBe(1);
    expect(await startsAt()).toBe('2017-05-26T13:00:00.000Z');
    await source.refresh(at(60), (line) => log.push(line));
    expect(requests).toBe(2);
    expect(await startsAt()).toBe('2017-06-02T13:00:00.000Z');

    served = { status: 500, body: 'oops' };
    await source.refresh(at(120), (line) => log.push(line));
    expect(log.at(-1)).toMatch(/^meetings calendar http:\/\/127\.0\.0\.1:\d+\/… could not be fetched \(HTTP 500\); the stored meetings are kept as they were$/);
    expect(log.join('\n')).not.toContain('s3cret');
    expect(await startsAt()).toBe('2017-06-02T13:00:00.000Z');
    expect(await store.db.meeting.count({ where: { cancelledAt: null } })).toBe(1);
  });
});
