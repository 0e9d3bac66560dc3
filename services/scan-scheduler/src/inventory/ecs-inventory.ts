import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type ECSClient, type Tag, type Task } from '@aws-sdk/client-ecs';
import { digestInReference, isDigest, repositoryOf } from '../image-ref.js';
import type { CallCounter, InventorySource, WorkloadImage } from './types.js';

const describeTasksLimit = 100; // DescribeTasks takes at most 100 tasks per call
const describeServicesLimit = 10; // DescribeServices takes at most 10 services per call
const listTasksPageSize = 100; // ListTasks maxResults at most 100

export interface EcsInventoryOptions {
  client: Pick<ECSClient, 'send'>;
  cluster: string;
  ownerTag: string;
  counter?: CallCounter;
}

/**
 * Running tasks of one ECS cluster: ListTasks (paginated), DescribeTasks (100 at a time) for
 * `containers[].image` and `imageDigest`, then DescribeServices (10 at a time) for the owner tag.
 * A container without a digest (still pulling, or an old agent) is returned with `digest: null`.
 */
export class EcsInventory implements InventorySource {
  readonly platform = 'ecs' as const;
  readonly name: string;
  readonly cluster: string;

  constructor(private readonly options: EcsInventoryOptions) {
    this.cluster = shortCluster(options.cluster);
    this.name = `ecs:${this.cluster}`;
  }

  async collect(): Promise<WorkloadImage[]> {
    const { client, cluster } = this.options;
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      this.options.counter?.count('ecs:ListTasks');
      const page = await client.send(new ListTasksCommand({ cluster, desiredStatus: 'RUNNING', maxResults: listTasksPageSize, nextToken }));
      arns.push(...(page.taskArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);

    const tasks: Task[] = [];
    await chunked(arns, describeTasksLimit, async (chunk) => {
      this.options.counter?.count('ecs:DescribeTasks');
      const page = await client.send(new DescribeTasksCommand({ cluster, tasks: chunk, include: ['TAGS'] }));
      tasks.push(...(page.tasks ?? []));
    });

    const serviceNames = [...new Set(tasks.map((task) => serviceOf(task)).filter((name): name is string => name !== null))];
    const serviceTeams = new Map<string, string | null>();
    await chunked(serviceNames, describeServicesLimit, async (chunk) => {
      this.options.counter?.count('ecs:DescribeServices');
      const page = await client.send(new DescribeServicesCommand({ cluster, services: chunk, include: ['TAGS'] }));
      for (const service of page.services ?? []) {
        if (service.serviceName) serviceTeams.set(service.serviceName, tagValue(service.tags, this.options.ownerTag));
      }
    });

    const rows: WorkloadImage[] = [];
    for (const task of tasks) {
      const service = serviceOf(task);
      const team = (service !== null ? serviceTeams.get(service) : null) ?? tagValue(task.tags, this.options.ownerTag);
      const workload = service !== null ? `service:${service}` : `task:${familyOf(task)}`;
      for (const container of task.containers ?? []) {
        const image = container.image ?? '';
        if (image === '') continue;
        const digest = isDigest(container.imageDigest) ? container.imageDigest : digestInReference(image);
        rows.push({ platform: 'ecs', cluster: this.cluster, workload, namespace: null, team, image, digest, repository: repositoryOf(image) });
      }
    }
    return rows;
  }
}

const describeConcurrency = 4; // Describe* calls in flight: well inside ECS's describe rate limits (tens per second), 4x faster than one by one

/** `work` over `items` in chunks of `size`, `describeConcurrency` chunks at once. */
async function chunked<T>(items: readonly T[], size: number, work: (chunk: T[]) => Promise<void>): Promise<void> {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(describeConcurrency, chunks.length) }, async () => {
      while (next < chunks.length) await work(chunks[next++]!);
    }),
  );
}

function serviceOf(task: Task): string | null {
  const group = task.group ?? '';
  return group.startsWith('service:') ? group.slice('service:'.length) : null;
}

function familyOf(task: Task): string {
  // arn:aws:ecs:region:account:task-definition/family:revision
  const arn = task.taskDefinitionArn ?? '';
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  return name.replace(/:\d+$/, '') || 'unknown';
}

function tagValue(tags: Tag[] | undefined, key: string): string | null {
  const value = tags?.find((tag) => tag.key === key)?.value;
  return value && value.trim() !== '' ? value.trim() : null;
}

function shortCluster(cluster: string): string {
  return cluster.includes('/') ? cluster.slice(cluster.lastIndexOf('/') + 1) : cluster;
}
