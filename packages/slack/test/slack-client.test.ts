// The Slack webhook client against a real local HTTP server: retries on what Slack may answer later,
// a final error (retryable: false) on what it will never accept, and never the URL in an error.
import t from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackClient, SlackError, isWebhookUrl, slackText } from '@netsidecar/slack';

async function webhook(t: { teardown(fn: () => unknown): void }, answer: (n: number, body: string) => [number, string]) {
  const bodies: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      bodies.push(body);
      const [status, text] = answer(bodies.length, body);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/SecretPart123`, bodies };
}

t.test('503 then 200: retried after a backoff, the payload posted as JSON', async (t) => {
  const hook = await webhook(t, (n) => (n === 1 ? [503, 'busy'] : [200, 'ok']));
  const sleeps: number[] = [];
  const client = new SlackClient({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
  t.equal(await client.post(hook.url, { text: 'hello' }), 2, 'two requests');
  t.same(
    hook.bodies.map((b) => JSON.parse(b)),
    [{ text: 'hello' }, { text: 'hello' }],
  );
  t.same(sleeps, [500], 'full jitter of the first 1 s step');
});

t.test('404 no_service is final: one request, retryable false, the URL in no message', async (t) => {
  const hook = await webhook(t, () => [404, 'no_service']);
  const error = await new SlackClient({ sleep: async () => {} }).post(hook.url, { text: 'x' }).catch((err: unknown) => err);
  t.ok(error instanceof SlackError);
  t.match(error, { retryable: false, attempts: 1, message: 'Slack webhook answered HTTP 404 no_service' });
  t.equal(hook.bodies.length, 1);
  t.notMatch((error as Error).message, /SecretPart123|127\.0\.0\.1/);
});

t.test('maxAttempts 1 on a 500: one request, retryable true (the caller retries later)', async (t) => {
  const hook = await webhook(t, () => [500, 'oops']);
  const error = await new SlackClient({ maxAttempts: 1 }).post(hook.url, { text: 'x' }).catch((err: unknown) => err);
  t.match(error, { retryable: true, attempts: 1 });
  t.equal(hook.bodies.length, 1);
});

t.test('helpers: webhook URLs, mrkdwn escaping', async (t) => {
  t.ok(isWebhookUrl('https://hooks.example/services/T/B/x'));
  t.notOk(isWebhookUrl('ftp://x'));
  t.notOk(isWebhookUrl('https://a b'));
  t.equal(slackText('a <redacted:1f4e9a07> & b > c'), 'a &lt;redacted:1f4e9a07&gt; &amp; b &gt; c');
});
