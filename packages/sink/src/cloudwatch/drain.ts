import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DrainReport } from '../sink.js';
import type { Spool } from '../spool/spool.js';
import type { ResolvedOptions } from './config.js';
import type { StreamScheduler } from './scheduler/scheduler.js';
import type { SinkWaiters } from './waiters.js';

/** What close() drains and releases. */
export interface DrainScope {
  options: Pick<ResolvedOptions, 'now' | 'timers' | 'logger'>;
  spool: Spool;
  scheduler: StreamScheduler;
  waiters: SinkWaiters;
  /** The client the sink made itself (none was passed in): destroyed at the end. */
  ownClient: CloudWatchLogsClient | undefined;
  /** Events delivered since the sink started. */
  deliveredCount(): number;
}

/**
 * The body of close(deadline): sends everything at once, waits until all is settled or the
 * deadline passes, then stops delivery and releases the spool and the client.
 */
export async function drain(scope: DrainScope, deadline: number): Promise<DrainReport> {
  const { options, spool, scheduler, waiters } = scope;
  const deliveredBefore = scope.deliveredCount();
  scheduler.markAllDue();
  scheduler.schedulePump();
  let deadlineTimer: unknown;
  if (spool.liveEvents > 0) {
    await new Promise<void>((resolve) => {
      waiters.onDrained(resolve);
      const ms = deadline - options.now();
      if (ms <= 0) resolve();
      else deadlineTimer = options.timers.setTimeout(resolve, ms);
    });
  }
  waiters.onDrained(undefined);
  if (deadlineTimer !== undefined) options.timers.clearTimeout(deadlineTimer);
  // Deadline passed (or all delivered): abort what is in flight; its events stay in the spool.
  // CloudWatch may have stored an aborted call already: those events come again at the next
  // start (at least once, never lost).
  await scheduler.stop();
  const pending = spool.liveEvents;
  spool.close();
  scope.ownClient?.destroy();
  waiters.releaseFlushes();
  const delivered = scope.deliveredCount() - deliveredBefore;
  options.logger.info('sink closed', { delivered, pending, spool: spool.dir });
  return { delivered, pending, pendingSpooled: true };
}
