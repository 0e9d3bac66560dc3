import { CoreV1Api, KubeConfig, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { parseImageId, repositoryOf, digestInReference } from '../image-ref.js';
import type { CallCounter, InventorySource, WorkloadImage } from './types.js';

const pageSize = 500; // pods per list call: a few hundred KiB per page

export interface EksInventoryOptions {
  name: string;
  endpoint: string;
  /** PEM of the cluster CA; the system CAs when null. */
  caData: string | null;
  /** A fresh bearer token per collection (EKS tokens live 15 minutes). */
  token: () => Promise<string>;
  ownerLabel: string;
  counter?: CallCounter;
  pageSize?: number;
}

/**
 * Pods of one EKS cluster through the Kubernetes API: namespaces (for the owner label) and pods in
 * every namespace, both paginated with `limit`/`continue`. Every container status counts, init
 * containers included (they ran the image too); a container without a resolvable repository digest
 * in `imageID` is returned with `digest: null`.
 */
export class EksInventory implements InventorySource {
  readonly platform = 'eks' as const;
  readonly name: string;
  readonly cluster: string;

  constructor(private readonly options: EksInventoryOptions) {
    this.cluster = options.name;
    this.name = `eks:${options.name}`;
  }

  async collect(): Promise<WorkloadImage[]> {
    const api = await this.api();
    const limit = this.options.pageSize ?? pageSize;
    const teams = new Map<string, string | null>();
    let cont: string | undefined;
    do {
      this.options.counter?.count('k8s:listNamespace');
      const page = await api.listNamespace({ limit, ...(cont ? { _continue: cont } : {}) });
      for (const ns of page.items) {
        const name = ns.metadata?.name;
        if (name) teams.set(name, ns.metadata?.labels?.[this.options.ownerLabel]?.trim() || null);
      }
      cont = page.metadata?._continue || undefined;
    } while (cont);

    const rows: WorkloadImage[] = [];
    cont = undefined;
    do {
      this.options.counter?.count('k8s:listPodForAllNamespaces');
      const page = await api.listPodForAllNamespaces({
        limit,
        fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
        ...(cont ? { _continue: cont } : {}),
      });
      for (const pod of page.items) rows.push(...this.podImages(pod, teams));
      cont = page.metadata?._continue || undefined;
    } while (cont);
    return rows;
  }

  private podImages(pod: V1Pod, teams: Map<string, string | null>): WorkloadImage[] {
    const namespace = pod.metadata?.namespace ?? 'default';
    const owner = pod.metadata?.ownerReferences?.[0];
    const workload = owner ? `${namespace}/${owner.kind}/${owner.name}` : `${namespace}/Pod/${pod.metadata?.name ?? 'unknown'}`;
    const team = teams.get(namespace) ?? null;
    const statuses: V1ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const seen = new Set(statuses.map((status) => status.name));
    const rows: WorkloadImage[] = statuses.map((status) => {
      const parsed = parseImageId(status.imageID);
      return {
        platform: 'eks',
        cluster: this.cluster,
        workload,
        namespace,
        team,
        image: status.image,
        digest: parsed?.digest ?? digestInReference(status.image),
        repository: parsed?.repository ?? repositoryOf(status.image),
      };
    });
    // A pending pod has no status for some containers yet: report the spec image (unpinned unless
    // the spec pins a digest) rather than forget it.
    for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      if (seen.has(container.name) || !container.image) continue;
      rows.push({
        platform: 'eks',
        cluster: this.cluster,
        workload,
        namespace,
        team,
        image: container.image,
        digest: digestInReference(container.image),
        repository: repositoryOf(container.image),
      });
    }
    return rows;
  }

  private async api(): Promise<CoreV1Api> {
    const config = new KubeConfig();
    config.loadFromOptions({
      // The client refuses plain http unless told to skip TLS checks; http (the test API server on
      // 127.0.0.1) has no TLS to check, and an https endpoint is always verified.
      clusters: [
        {
          name: this.options.name,
          server: this.options.endpoint,
          skipTLSVerify: this.options.endpoint.startsWith('http://'),
          ...(this.options.caData ? { caData: Buffer.from(this.options.caData).toString('base64') } : {}),
        },
      ],
      users: [{ name: 'netsidecar-scan', token: await this.options.token() }],
      contexts: [{ name: 'scan', cluster: this.options.name, user: 'netsidecar-scan' }],
      currentContext: 'scan',
    });
    return config.makeApiClient(CoreV1Api);
  }
}
