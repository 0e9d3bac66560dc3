/**
 * What the inventory readers produce: one row per (workload, container image). ECS and EKS readers
 * and the static inventory file of local mode all give the same shape.
 */
export type Platform = 'ecs' | 'eks';

export interface WorkloadImage {
  platform: Platform;
  cluster: string;
  /** `service:payments-api`, `task:family` (ECS); `namespace/Kind/name` (EKS). */
  workload: string;
  namespace: string | null;
  /** Owning team: ECS service tag / Kubernetes namespace label; null when untagged. */
  team: string | null;
  /** As configured: `repo:tag` or `repo@sha256:...`. */
  image: string;
  /** The repository digest that runs; null when it cannot be known (reported, not skipped). */
  digest: string | null;
  /** Repository the digest belongs to (from imageID / image). */
  repository: string;
}

export interface InventoryStats {
  calls: Record<string, number>;
  tasks: number;
  pods: number;
}

/** One inventory source (an ECS cluster list, an EKS cluster, a static file). */
export interface InventorySource {
  readonly name: string;
  readonly platform: Platform;
  readonly cluster: string;
  collect(): Promise<WorkloadImage[]>;
}

export interface InventoryError {
  source: string;
  cluster: string;
  platform: Platform;
  message: string;
}

export class CallCounter {
  readonly calls: Record<string, number> = {};
  count(name: string): void {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }
}
