// EKS inventory against a Kubernetes API stand-in on port 0: pods and namespaces paged with
// limit/continue, init containers counted, imageID forms parsed, owners from a namespace label,
// unpinned images reported; and the bearer token is a presigned STS GetCallerIdentity URL.
import t from 'tap';
import { createHash, createHmac } from 'node:crypto';
import { aggregateInventory, CallCounter, createEksToken, decodeEksToken, EksInventory } from '../src/index.js';
import { digestOf } from './support/harness.js';
import { KubeServer } from './support/kube-server.js';

const hex = (d: string) => d.slice('sha256:'.length);

function pod(i: number) {
  const ns = ['web', 'payments', 'kube-system'][i % 3]!;
  const app = digestOf(`web-${i % 4}`);
  return {
    metadata: {
      name: `p-${i}`,
      namespace: ns,
      ownerReferences: [{ kind: 'ReplicaSet', name: `rs-${i % 4}`, apiVersion: 'apps/v1', uid: 'u', controller: true }],
    },
    spec: {
      initContainers: [{ name: 'migrate', image: 'registry.example/migrate:3' }],
      containers: [
        { name: 'app', image: `registry.example/web:${i % 4}` },
        { name: 'pending', image: 'busybox:1.36' },
      ],
    },
    status: {
      phase: 'Running',
      initContainerStatuses: [
        { name: 'migrate', image: 'registry.example/migrate:3', imageID: `registry.example/migrate@${digestOf('migrate')}`, ready: false, restartCount: 0 },
      ],
      containerStatuses: [
        // Docker runtime form on some pods, containerd form on others.
        {
          name: 'app',
          image: `registry.example/web:${i % 4}`,
          imageID: i % 2 ? `docker-pullable://registry.example/web@${app}` : `registry.example/web@${app}`,
          ready: true,
          restartCount: 0,
        },
      ],
    },
  };
}

t.test('paged pods and namespaces, init containers, owners, unpinned', async (t) => {
  const kube = await new KubeServer().start();
  t.teardown(() => kube.close());
  kube.namespaces = [
    { metadata: { name: 'web', labels: { team: 'web' } } },
    { metadata: { name: 'payments', labels: { team: 'payments' } } },
    { metadata: { name: 'kube-system' } },
  ];
  kube.pods = Array.from({ length: 23 }, (_, i) => pod(i));
  // A locally built image: containerd reports only the config digest, no repository digest.
  kube.pods.push({
    metadata: { name: 'dev', namespace: 'web' },
    spec: { containers: [{ name: 'c', image: 'dev-image:latest' }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'c', image: 'dev-image:latest', imageID: `sha256:${hex(digestOf('local'))}`, ready: true, restartCount: 0 }],
    },
  });
  let tokens = 0;
  const counter = new CallCounter();
  const inventory = new EksInventory({
    name: 'eks-prod',
    endpoint: kube.url,
    caData: null,
    token: async () => `k8s-aws-v1.test-${++tokens}`,
    ownerLabel: 'team',
    counter,
    pageSize: 5,
  });
  const rows = await inventory.collect();

  const podCalls = kube.requests.filter((r) => r.path === '/api/v1/pods');
  t.equal(podCalls.length, 5, '24 pods in pages of 5');
  t.ok(podCalls.every((r) => r.query.get('limit') === '5'));
  t.equal(podCalls[0]!.query.get('continue'), null);
  t.ok(
    podCalls.slice(1).every((r) => r.query.get('continue')),
    'continue tokens passed back',
  );
  t.equal(podCalls[0]!.query.get('fieldSelector'), 'status.phase!=Succeeded,status.phase!=Failed');
  t.equal(kube.requests.filter((r) => r.path === '/api/v1/namespaces').length, 1);
  t.ok(
    kube.requests.every((r) => r.authorization === 'Bearer k8s-aws-v1.test-1'),
    'the bearer token on every call',
  );
  t.same(counter.calls, { 'k8s:listNamespace': 1, 'k8s:listPodForAllNamespaces': 5 });

  const { images, unpinned } = aggregateInventory(rows);
  t.same(images.map((i) => i.digest).sort(), [digestOf('migrate'), ...[0, 1, 2, 3].map((n) => digestOf(`web-${n}`))].sort());
  const migrate = images.find((i) => i.digest === digestOf('migrate'))!;
  t.equal(migrate.repository, 'registry.example/migrate', 'init container counted');
  const web0 = images.find((i) => i.digest === digestOf('web-0'))!;
  t.equal(web0.repository, 'registry.example/web', 'docker-pullable:// stripped');
  t.same(web0.references, ['registry.example/web:0']);
  // The workload is the pod's controller, `namespace/Kind/name` (README.md), not the pod: one place
  // however many pods it runs, and the same name across pod restarts.
  t.same(
    web0.locations.map((l) => `${l.platform}/${l.cluster}/${l.workload}`),
    ['eks/eks-prod/kube-system/ReplicaSet/rs-0', 'eks/eks-prod/payments/ReplicaSet/rs-0', 'eks/eks-prod/web/ReplicaSet/rs-0'],
  );
  t.equal(rows.find((r) => r.image === 'dev-image:latest')?.workload, 'web/Pod/dev', 'a pod without a controller: Pod and its own name');
  t.ok(['web', 'payments'].includes(web0.owner!), 'owner from the namespace label');
  // busybox has no status yet in any pod: once per workload (3 namespaces x 4 ReplicaSets), plus dev-image.
  t.equal(unpinned.filter((u) => u.image === 'busybox:1.36').length, 12);
  t.equal(unpinned.length, 13);
  t.ok(
    unpinned.some((u) => u.image === 'dev-image:latest' && u.owner === 'web'),
    'config-digest-only image is unpinned',
  );
  t.ok(
    unpinned.some((u) => u.image === 'busybox:1.36'),
    'container without a status yet is reported',
  );
  t.equal(rows.find((r) => r.namespace === 'kube-system')?.team, null, 'unlabelled namespace: no owner');
});

t.test('a rejected token is an error, not an empty cluster', async (t) => {
  const kube = await new KubeServer().start();
  t.teardown(() => kube.close());
  kube.acceptToken = () => false;
  const inventory = new EksInventory({ name: 'eks-prod', endpoint: kube.url, caData: null, token: async () => 'k8s-aws-v1.bad', ownerLabel: 'team' });
  await t.rejects(inventory.collect());
});

t.test('the EKS token: a presigned STS GetCallerIdentity URL signing x-k8s-aws-id', async (t) => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };
  const signingDate = new Date('2026-11-23T04:00:00Z');
  const token = await createEksToken({ clusterName: 'eks-prod', region: 'eu-west-1', credentials, signingDate });
  t.match(token, /^k8s-aws-v1\.[A-Za-z0-9_-]+$/, 'base64url without padding');
  const url = new URL(decodeEksToken(token));
  t.equal(url.origin, 'https://sts.eu-west-1.amazonaws.com');
  const q = url.searchParams;
  t.equal(q.get('Action'), 'GetCallerIdentity');
  t.equal(q.get('Version'), '2011-06-15');
  t.equal(q.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
  t.equal(q.get('X-Amz-Credential'), 'AKIDEXAMPLE/20261123/eu-west-1/sts/aws4_request');
  t.equal(q.get('X-Amz-Date'), '20261123T040000Z');
  t.equal(q.get('X-Amz-Expires'), '60');
  t.equal(q.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
  t.equal(q.get('X-Amz-Security-Token'), 'session-token-example');

  // Recompute the SigV4 signature independently (AWS SigV4 presigned-URL rules) to prove the
  // cluster name is bound into it.
  const params = [...q.entries()].filter(([k]) => k !== 'X-Amz-Signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonical = [
    'GET',
    '/',
    params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'),
    'host:sts.eu-west-1.amazonaws.com',
    'x-k8s-aws-id:eks-prod',
    '',
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const scope = '20261123/eu-west-1/sts/aws4_request';
  const toSign = ['AWS4-HMAC-SHA256', '20261123T040000Z', scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update('20261123').digest();
  for (const part of ['eu-west-1', 'sts', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  t.equal(q.get('X-Amz-Signature'), createHmac('sha256', key).update(toSign).digest('hex'));

  const other = await createEksToken({ clusterName: 'eks-stage', region: 'eu-west-1', credentials, signingDate });
  t.not(new URL(decodeEksToken(other)).searchParams.get('X-Amz-Signature'), q.get('X-Amz-Signature'), 'another cluster, another signature');
});
