import t from 'tap';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { readHostClockBound } from '../src/upstream/host-clock-bound.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import { startTestNtp } from './support/harness.js';

/** The task metadata endpoint v4 on loopback, answering /task with `body`. */
async function metadataEndpoint(t: { teardown(fn: () => unknown): void }, status: number, body: unknown): Promise<string> {
  const server = createServer((request, response) => {
    if (request.url !== '/v4/abc/task') return void response.writeHead(404).end();
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => new Promise<void>((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v4/abc`;
}

t.test("Fargate's ClockDrift: the error bound in ms", async (t) => {
  const uri = await metadataEndpoint(t, 200, {
    Cluster: 'netsidecar',
    LaunchType: 'FARGATE',
    ClockDrift: { ClockErrorBound: 0.3148955, ReferenceTimestamp: '2026-11-22T16:41:24Z', ClockSynchronizationStatus: 'SYNCHRONIZED' },
  });
  t.same(await readHostClockBound(uri), { boundMs: 0.3148955, status: 'SYNCHRONIZED', referenceTimestamp: '2026-11-22T16:41:24Z' });
  t.same(await readHostClockBound(`${uri}/`), { boundMs: 0.3148955, status: 'SYNCHRONIZED', referenceTimestamp: '2026-11-22T16:41:24Z' }, 'a trailing slash');
});

t.test('EC2 launch type (no ClockDrift), an error status: null', async (t) => {
  t.equal(await readHostClockBound(await metadataEndpoint(t, 200, { LaunchType: 'EC2' })), null);
  t.equal(await readHostClockBound(await metadataEndpoint(t, 500, {})), null);
  t.equal(await readHostClockBound(await metadataEndpoint(t, 200, { ClockDrift: { ClockErrorBound: 'x' } })), null);
});

t.test('the service reports the bound as a metric and in upstream_sample events', async (t) => {
  const uri = await metadataEndpoint(t, 200, {
    ClockDrift: { ClockErrorBound: 0.25, ReferenceTimestamp: '2026-11-22T16:41:24Z', ClockSynchronizationStatus: 'SYNCHRONIZED' },
  });
  const upstream = await startFakeUpstream(t);
  const ntp = await startTestNtp(t, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1, taskMetadataUri: uri });
  await ntp.until(async () => (await ntp.metric('netsidecar_ntp_host_clock_error_bound_seconds')) > 0, 'the bound read');
  t.equal(await ntp.metric('netsidecar_ntp_host_clock_error_bound_seconds'), 0.00025);
  await ntp.service.pollNow();
  t.match((await ntp.events('upstream')).filter((e) => e.type === 'upstream_sample').at(-1), { hostClockErrorBoundMs: 0.25 });
});
