import { responder } from '../../src/slack/respond';

describe("issue 12 item 9: responder posts only to Slack's response URLs", () => {
  test.each([
    'https://hooks.slack.com.evil.test/commands/T0/1/abc',
    'http://hooks.slack.com/commands/T0/1/abc',
    'https://evil.test/?https://hooks.slack.com/',
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    'not a url',
  ])('%s is refused without a request', async (url) => {
    await expect(responder(url)({ text: 'hello' })).rejects.toThrow(/^refused to answer at .*: a response_url must be Slack's \(https:\/\/hooks\.slack\.com\/\)$/);
  });

  test('a response URL that is not a string is refused', async () => {
    await expect(responder({ href: 'https://hooks.slack.com/x' })({ text: 'hello' })).rejects.toThrow('nowhere to answer');
  });
});
