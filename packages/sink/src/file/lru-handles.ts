import type { FileHandle } from 'node:fs/promises';

/**
 * Open append handles, least recently used closed first: a data centre has thousands of devices,
 * and one open file per device would run into the file descriptor limit.
 */
export class LruHandles {
  private readonly handles = new Map<string, FileHandle>();

  constructor(private readonly max: number) {}

  get(path: string): FileHandle | undefined {
    const handle = this.handles.get(path);
    if (handle) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.handles.delete(path);
      this.handles.set(path, handle);
    }
    return handle;
  }

  async set(path: string, handle: FileHandle): Promise<void> {
    this.handles.set(path, handle);
    while (this.handles.size > this.max) {
      const [oldestPath, oldest] = this.handles.entries().next().value as [string, FileHandle];
      this.handles.delete(oldestPath);
      await oldest.close().catch(() => {});
    }
  }

  forget(path: string): void {
    const handle = this.handles.get(path);
    this.handles.delete(path);
    void handle?.close().catch(() => {});
  }

  async closeAll(): Promise<void> {
    const all = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(all.map((h) => h.close().catch(() => {})));
  }
}
