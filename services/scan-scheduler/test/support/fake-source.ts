import type { InventorySource, WorkloadImage } from '../../src/index.js';

/** An inventory source whose rows (and failure) a test sets directly. */
export class FakeSource implements InventorySource {
  readonly name: string;
  fail: Error | null = null;
  constructor(
    readonly platform: 'ecs' | 'eks',
    readonly cluster: string,
    public rows: WorkloadImage[],
  ) {
    this.name = `${platform}:${cluster}`;
  }
  async collect(): Promise<WorkloadImage[]> {
    if (this.fail) throw this.fail;
    return this.rows;
  }
}
