// NETSIDECAR_SPOOL_SHARED names each task's spool directory by its ECS task ID, read from the task
// metadata endpoint (here a local HTTP server on 127.0.0.1 standing in for it).
import t, { type Test } from 'tap';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spoolOwnerName } from '../src/spool-owner.js';

async function metadataServer(t: Test, answer: (path: string) => [number, unknown]) {
  const server = http.createServer((req, res) => {
    const [status, body] = answer(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v4/abc-container`;
}

t.test('on ECS: the task ID from the TaskARN of GET <metadata uri>/task', async (t) => {
  const uri = await metadataServer(t, (path) =>
    path === '/v4/abc-container/task'
      ? [200, { Cluster: 'netsidecar', TaskARN: 'arn:aws:ecs:eu-west-1:111122223333:task/netsidecar/0f1e2d3c4b5a69788796a5b4c3d2e1f0' }]
      : [404, {}],
  );
  t.equal(await spoolOwnerName({ ECS_CONTAINER_METADATA_URI_V4: uri }), '0f1e2d3c4b5a69788796a5b4c3d2e1f0');
});

t.test('on ECS without an answer to use: start-up fails rather than guess a name another task could share', async (t) => {
  const broken = await metadataServer(t, () => [500, {}]);
  await t.rejects(spoolOwnerName({ ECS_CONTAINER_METADATA_URI_V4: broken }), /answered 500/);
  const noArn = await metadataServer(t, () => [200, { Cluster: 'netsidecar' }]);
  await t.rejects(spoolOwnerName({ ECS_CONTAINER_METADATA_URI_V4: noArn }), /no TaskARN/);
});

t.test('outside ECS: the host name, made one safe path component', async (t) => {
  t.equal(await spoolOwnerName({}, () => '_rtr host/1'), 'rtr-host-1');
  t.match(await spoolOwnerName({}), /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "this machine's");
});
