import fs from 'node:fs';
import path from 'node:path';
import { noteProblem, NOTE_LIMIT, parseCommand } from '../../src/domain/commands';
import { suggestStatus } from '../../src/domain/statuses';
import { nearestWord } from '../../src/domain/suggest';
import { characterCount, controlCharacter, cut, echo, plainMentions, unescapeSlack } from '../../src/domain/text';
import { mrkdwnToText } from '../../src/console/render';
import { escape, oneLine } from '../../src/slack/blocks/common';

describe('issue 11 point 6: the nearest word to a typo', () => {
  test.each([
    ['ontrak', ['on-track', 'at-risk'], 'on-track'],
    ['remind', ['history', 'reminders'], 'reminders'],
    ['histroy', ['history', 'reminders'], 'history'],
    ['psot', ['post', 'preview'], 'post'],
    ['/actions', ['/action', '/overdue'], '/action'],
    ['purple', ['on-track', 'at-risk', 'done'], null],
    ['x', ['mine', 'list'], null],
  ])('%s → %s', (typed, words, expected) => {
    expect(nearestWord(typed, words)).toBe(expected);
  });

  test('a mistyped status, one word or two, is read as the status it is nearest to', () => {
    expect(suggestStatus(['ontrak'])).toBe('on-track');
    expect(suggestStatus(['at', 'riks', 'a', 'note'])).toBe('at-risk');
    expect(suggestStatus(['compelte'])).toBe('done');
    expect(suggestStatus(['purple'])).toBeNull();
  });

  test('parsing: a status typo, a sub-command typo, and a real status are told apart', () => {
    expect(parseCommand('/action', '12 ontrak')).toMatchObject({ kind: 'error', code: 'unknown-status', message: '"ontrak" isn\'t a status. Did you mean on-track? Nothing was saved.' });
    expect(parseCommand('/action', '12 remind off')).toMatchObject({ kind: 'error', message: expect.stringContaining('Did you mean `/action 12 reminders off`?') });
    expect(parseCommand('/action', '12 reminder')).toMatchObject({ kind: 'error', message: expect.stringContaining('`/action 12 reminders off` (or `on`)?') });
    expect(parseCommand('/action', '12 histroy')).toMatchObject({ kind: 'error', message: 'There is no `/action 12 histroy`. Did you mean `/action 12 history`?' });
    expect(parseCommand('/action', 'mien')).toMatchObject({ kind: 'help', problem: 'There is no `/action mien`. Did you mean `/action mine`?' });
    expect(parseCommand('/meeting', 'cancle 2017-05-26')).toMatchObject({ kind: 'help', problem: 'There is no `/meeting cancle`. Did you mean `/meeting cancel`?' });
    expect(parseCommand('/lead', 'LGA claer')).toMatchObject({ kind: 'help', problem: 'Did you mean `/lead LGA clear`? Nothing was changed.' });
  });
});

describe('issue 11 point 7: owners for /lead', () => {
  test('in Slack, mentions as Slack sends them, labels with spaces included', () => {
    expect(parseCommand('/lead', 'Arts Council England <@U0ANN|ann> <@U0BOB|bob smith> <!subteam^S0ACE|@ace> <#C0ARTS|arts>')).toEqual({
      kind: 'map-lead',
      lead: 'Arts Council England',
      owners: [
        { kind: 'user', slackId: 'U0ANN' },
        { kind: 'user', slackId: 'U0BOB' },
        { kind: 'usergroup', slackId: 'S0ACE' },
        { kind: 'channel', slackId: 'C0ARTS' },
      ],
    });
  });

  test('in the console, Slack ids typed by hand; a name is refused saying which forms work, where', () => {
    expect(parseCommand('/lead', 'LGA @U0ANN @S0LGA #C0LGA', 'console')).toMatchObject({
      kind: 'map-lead',
      owners: [
        { kind: 'user', slackId: 'U0ANN' },
        { kind: 'usergroup', slackId: 'S0LGA' },
        { kind: 'channel', slackId: 'C0LGA' },
      ],
    });
    const consoleReply = parseCommand('/lead', 'LGA @ann', 'console');
    expect(consoleReply).toMatchObject({ kind: 'error', code: 'bad-owner' });
    expect((consoleReply as { message: string }).message).toMatch(/^The console can't tell who "@ann" is\. In the console, give Slack ids: `@U0123ABCD` for a person/);
    const slackReply = parseCommand('/lead', 'LGA @ann', 'slack');
    expect((slackReply as { message: string }).message).toMatch(/^"@ann" isn't a mention Slack recognised\. Type @ and pick/);
    // Upper-case words without a digit are names, not ids.
    expect(parseCommand('/lead', 'LGA @SAM', 'console')).toMatchObject({ kind: 'error', code: 'bad-owner' });
    expect(parseCommand('/lead', '@U0ANN', 'console')).toMatchObject({ kind: 'help', problem: expect.stringMatching(/^Put the lead's name first/) });
  });
});

describe('issue 11 point 8: the person\'s words in and out', () => {
  test('Slack\'s entities are decoded once; a mention in a note is kept as a readable name', () => {
    expect(unescapeSlack('A &amp;lt; B &lt;soon&gt; &amp; <@U0DEE|dee>')).toBe('A &lt; B <soon> & <@U0DEE|dee>');
    expect(parseCommand('/action', unescapeSlack('12 at-risk A &amp; B cc <@U0DEE|dee> <#C0X|general> <!here>'))).toMatchObject({
      rest: 'A & B cc @dee #general @here',
    });
  });

  test('echoed text is escaped, on one line, and cut to 100 characters with "…"', () => {
    expect(echo('<b>\n&')).toBe('"&lt;b&gt; &amp;"');
    const long = echo('é'.normalize('NFD').repeat(150));
    expect(characterCount(long)).toBe(102);
    expect(long.endsWith('…"')).toBe(true);
    expect(cut('short', 100)).toBe('short');
  });

  test('oneLine folds line breaks; escape escapes once', () => {
    expect(oneLine('first\n  12:00 · fake\r\nline')).toBe('first 12:00 · fake line');
    expect(escape('A & B <c>')).toBe('A &amp; B &lt;c&gt;');
  });

  test('every emoji code the bot writes renders in the console, as do its mentions', () => {
    const src = path.resolve(__dirname, '../../src');
    const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.startsWith('generated'));
    const codes = new Set(files.flatMap((file) => fs.readFileSync(path.join(src, file), 'utf8').match(/(?<![A-Za-z0-9:]):[a-z_]+:/g) ?? []));
    expect(codes.size).toBeGreaterThan(10);
    for (const code of codes) expect([code, mrkdwnToText(code)]).not.toEqual([code, code]);
    expect(mrkdwnToText('Ask <@console>, <@U0ANN|ann>, <@U0BOB>, <!subteam^S0LGA|@lga>, <#C0X|general>')).toBe('Ask @console, @ann, @U0BOB, @lga, #general');
    expect(plainMentions('<https://example.org|site>')).toBe('https://example.org');
  });
});

describe('issue 12 item 10: control characters in notes', () => {
  test('C0 controls and DEL are named; newline and tab are not controls a note may not have', () => {
    expect(controlCharacter('a\u0000b')).toBe('U+0000');
    expect(controlCharacter('a\u001bb')).toBe('U+001B');
    expect(controlCharacter('a\u007fb')).toBe('U+007F');
    expect(controlCharacter('a\tb\nc')).toBeNull();
    expect(noteProblem('a\u0000')).toMatch(/control character in it \(U\+0000\)/);
    expect(parseCommand('/action', '12 done a\u0000b')).toMatchObject({ kind: 'error', code: 'control-character' });
    expect(parseCommand('/action', '12 done\ta note')).toMatchObject({ kind: 'update', rest: 'a note' });
  });
});

describe('issue 12 item 11: notes are counted in characters people see', () => {
  test('an emoji is one character, however many UTF-16 units it takes', () => {
    expect(characterCount('👍🏽')).toBe(1);
    expect(characterCount('👩‍👩‍👧')).toBe(1);
    expect(noteProblem('👍🏽'.repeat(NOTE_LIMIT))).toBeNull();
    expect(noteProblem('👍🏽'.repeat(NOTE_LIMIT + 1))).toBe(`That note is ${NOTE_LIMIT + 1} characters; the limit is ${NOTE_LIMIT}. Nothing was saved: shorten it and send it again.`);
    expect(parseCommand('/action', `12 on-track ${'👩‍👩‍👧'.repeat(300)}`)).toMatchObject({ kind: 'update' });
    expect(parseCommand('/meeting', `add 2017-05-26 14:00 ${'👍🏽'.repeat(NOTE_LIMIT + 1)}`)).toMatchObject({ kind: 'error', code: 'note-too-long' });
  });
});
