// ECS inventory with aws-sdk-client-mock: ListTasks pages followed, DescribeTasks at most 100 tasks
// per call, DescribeServices at most 10, owners from service tags (task tags as fallback), and
// containers without a digest reported as unpinned rather than skipped.
import t from 'tap';
import { mockClient } from 'aws-sdk-client-mock';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { aggregateInventory, CallCounter, EcsInventory } from '../src/index.js';
import { digestOf } from './support/harness.js';

const arn = (i: number) => `arn:aws:ecs:eu-west-1:123456789012:task/prod/${i.toString(16).padStart(32, '0')}`;

function task(i: number): Task {
  const service = i % 3 === 0 ? null : `svc-${i % 12}`;
  const digest = digestOf(`app-${i % 5}`);
  return {
    taskArn: arn(i),
    group: service ? `service:${service}` : 'family:batch-job',
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/batch-job:7',
    tags: service ? [] : [{ key: 'team', value: 'data' }],
    containers: [
      { name: 'app', image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app-${i % 5}:v1`, imageDigest: digest },
      // A sidecar still pulling (no imageDigest yet) on every seventh task.
      { name: 'sidecar', image: 'public.ecr.aws/aws-observability/aws-otel-collector:latest', ...(i % 7 === 0 ? {} : { imageDigest: digestOf('otel') }) },
    ],
  };
}

t.test('pagination, chunking, owners and missing digests', async (t) => {
  const ecs = mockClient(ECSClient);
  t.teardown(() => ecs.restore());
  const total = 250;
  ecs.on(ListTasksCommand).callsFake((input: { nextToken?: string; maxResults?: number; desiredStatus?: string }) => {
    t.equal(input.desiredStatus, 'RUNNING');
    const start = input.nextToken ? Number(input.nextToken) : 0;
    const end = Math.min(total, start + 100);
    return { taskArns: Array.from({ length: end - start }, (_, k) => arn(start + k)), ...(end < total ? { nextToken: String(end) } : {}) };
  });
  const describeSizes: number[] = [];
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[]; include?: string[] }) => {
    describeSizes.push(input.tasks.length);
    if (input.tasks.length > 100) throw new Error('InvalidParameterException: too many tasks');
    t.same(input.include, ['TAGS']);
    return { tasks: input.tasks.map((a) => task(parseInt(a.slice(a.lastIndexOf('/') + 1), 16))), failures: [] };
  });
  const serviceSizes: number[] = [];
  ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    serviceSizes.push(input.services.length);
    if (input.services.length > 10) throw new Error('InvalidParameterException: too many services');
    return {
      services: input.services.map((name) => ({
        serviceName: name,
        tags: name === 'svc-1' ? [] : [{ key: 'team', value: name === 'svc-2' ? 'payments' : 'web' }],
      })),
    };
  });

  const counter = new CallCounter();
  const inventory = new EcsInventory({
    client: new ECSClient({ region: 'eu-west-1' }),
    cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
    ownerTag: 'team',
    counter,
  });
  const rows = await inventory.collect();
  t.equal(ecs.commandCalls(ListTasksCommand).length, 3, 'three ListTasks pages');
  t.same(describeSizes, [100, 100, 50]);
  t.ok(serviceSizes.every((n) => n <= 10));
  t.same(counter.calls, { 'ecs:ListTasks': 3, 'ecs:DescribeTasks': 3, 'ecs:DescribeServices': serviceSizes.length });
  t.equal(rows.length, 500, 'two containers per task');
  t.equal(rows[0]!.cluster, 'prod');

  const { images, unpinned } = aggregateInventory(rows);
  t.equal(images.length, 6, 'five app digests + the sidecar');
  const otel = images.find((i) => i.digest === digestOf('otel'))!;
  t.equal(otel.repository, 'public.ecr.aws/aws-observability/aws-otel-collector');
  const pulling = new Set(
    Array.from({ length: total }, (_, i) => i)
      .filter((i) => i % 7 === 0)
      .map((i) => (i % 3 === 0 ? 'task:batch-job' : `service:svc-${i % 12}`)),
  );
  t.equal(unpinned.length, pulling.size, 'the sidecar without a digest, once per workload');
  t.same(new Set(unpinned.map((u) => u.workload)), pulling);
  t.ok(unpinned.every((u) => u.image === 'public.ecr.aws/aws-observability/aws-otel-collector:latest' && u.platform === 'ecs'));
  const batch = rows.find((r) => r.workload === 'task:batch-job')!;
  t.equal(batch.team, 'data', 'standalone task: owner from its own tag');
  t.equal(rows.find((r) => r.workload === 'service:svc-2')!.team, 'payments', 'owner from the service tag');
  t.equal(rows.find((r) => r.workload === 'service:svc-1')!.team, null, 'untagged service');
});

t.test('an ECS error propagates to the planner (which reports it)', async (t) => {
  const ecs = mockClient(ECSClient);
  t.teardown(() => ecs.restore());
  ecs.on(ListTasksCommand).rejects(Object.assign(new Error('User is not authorized to perform: ecs:ListTasks'), { name: 'AccessDeniedException' }));
  const inventory = new EcsInventory({ client: new ECSClient({ region: 'eu-west-1' }), cluster: 'prod', ownerTag: 'team' });
  await t.rejects(inventory.collect(), /not authorized/);
});
