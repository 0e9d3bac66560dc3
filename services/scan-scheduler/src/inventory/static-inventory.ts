import { readFile } from 'node:fs/promises';
import { digestInReference, isDigest, repositoryOf } from '../image-ref.js';
import type { InventorySource, Platform, WorkloadImage } from './types.js';

/**
 * Local mode's inventory: a JSON file `{ "workloads": [...] }` (README.md shows it). Rows are
 * checked one by one; a bad row is an error naming its index, not a crash later.
 */
export class StaticInventory implements InventorySource {
  readonly platform: Platform = 'ecs';
  readonly name: string;
  readonly cluster = 'static';

  constructor(private readonly path: string) {
    this.name = `file:${path}`;
  }

  async collect(): Promise<WorkloadImage[]> {
    return parseStaticInventory(JSON.parse(await readFile(this.path, 'utf8')) as unknown);
  }
}

export function parseStaticInventory(document: unknown): WorkloadImage[] {
  const workloads = (document as { workloads?: unknown } | null)?.workloads;
  if (!Array.isArray(workloads)) throw new Error('inventory file: expected {"workloads": [...]}');
  return workloads.map((row: unknown, index) => {
    const item = row as Record<string, unknown>;
    const str = (key: string): string | null => (typeof item[key] === 'string' && item[key] !== '' ? item[key] : null);
    const image = str('image');
    if (image === null) throw new Error(`inventory file: workloads[${index}].image missing`);
    const digest = str('digest');
    if (digest !== null && !isDigest(digest)) throw new Error(`inventory file: workloads[${index}].digest is not sha256:<64 hex>`);
    const platform = str('platform') === 'eks' ? 'eks' : 'ecs';
    return {
      platform,
      cluster: str('cluster') ?? 'static',
      workload: str('workload') ?? `static:${index}`,
      namespace: str('namespace'),
      team: str('team'),
      image,
      digest: digest ?? digestInReference(image),
      repository: repositoryOf(image),
    };
  });
}
