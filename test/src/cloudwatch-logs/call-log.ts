import type { CallRecord } from './types.js';

/**
 * Every request the server read, in arrival order, plus what tests wait on: the next call of an
 * operation, and the moment no request is in flight. Records are live (a hung call's status
 * changes later); readers get copies.
 */
export class CallLog {
  private readonly records: CallRecord[] = [];
  private readonly waiters: { operation: string | undefined; resolve: (r: CallRecord) => void }[] = [];
  private inFlight = 0;
  private idle: (() => void)[] = [];

  add(record: CallRecord): void {
    this.records.push(record);
    const ready = this.waiters.filter((w) => w.operation === undefined || w.operation === record.operation);
    for (const waiter of ready) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve({ ...record });
    }
  }

  list(operation?: string): CallRecord[] {
    return this.records.filter((r) => operation === undefined || r.operation === operation).map((r) => ({ ...r }));
  }

  next(operation?: string): Promise<CallRecord> {
    return new Promise((resolve) => this.waiters.push({ operation, resolve }));
  }

  /** Marks a request in flight; call the returned function exactly once when it is finished. */
  begin(): () => void {
    this.inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
      if (this.inFlight === 0) {
        const idle = this.idle;
        this.idle = [];
        for (const resolve of idle) resolve();
      }
    };
  }

  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
