import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@netsidecar/telemetry';
import { parseScanRequest, type ScanRequest } from './scan-request.js';
import { backgroundTimers, type Timers } from '@netsidecar/sink';

export interface SqsConsumerOptions {
  client: Pick<SQSClient, 'send'>;
  queueUrl: string;
  /** Scans at once in this task: the cap. */
  concurrency: number;
  handle: (request: ScanRequest, attempt: number) => Promise<'ok' | 'retry'>;
  logger: Logger;
  onMessage?: (result: 'deleted' | 'retried' | 'malformed' | 'duplicate') => void;
  onMalformed?: (message: Message) => void;
  /** Long-poll wait; tests use 0. */
  waitTimeSeconds?: number;
  /** Pause after a failed ReceiveMessage before polling again. */
  errorBackoffMs?: number;
  /** How often a message being scanned gets its visibility extended; 60 s by default. */
  heartbeatMs?: number;
  /** The visibility each heartbeat sets, in seconds; 300 by default. */
  heartbeatVisibilitySeconds?: number;
  /** The heartbeat's timers (unref'd Node timers by default; `@tapjs/clock`'s Clock in tests). */
  timers?: Timers;
}

const defaultHeartbeatMs = 60_000; // 1 min
const defaultHeartbeatVisibility = 300; // 5 min: a worker that dies lets SQS redeliver within 5 min

/**
 * Long-polls SQS and runs at most `concurrency` scans at once: it asks for as many messages as there
 * are free slots (10 at most per call), so it never holds a message it cannot start. A message is
 * deleted only when its scan is done; `retry` leaves it to come back after the visibility timeout
 * (and to the dead-letter queue after maxReceiveCount). A second message for a digest already being
 * scanned here is deleted as a duplicate. While a scan runs, a heartbeat extends the message's
 * visibility, so a long scan is never redelivered to another worker while this one is still on it.
 */
export class SqsConsumer {
  private running = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly digests = new Set<string>();
  private abort = new AbortController();
  private slotFreed: (() => void) | null = null;
  private receiveFailures = 0;

  constructor(private readonly options: SqsConsumerOptions) {}

  get runningScans(): number {
    return this.running;
  }

  /** Consecutive failed ReceiveMessage calls (readiness: the queue is unreachable). */
  get consecutiveReceiveFailures(): number {
    return this.receiveFailures;
  }

  start(): void {
    this.loop ??= this.poll();
  }

  /** Stops polling, waits for the scans in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.slotFreed?.();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  /** One receive call and the scans it started (tests and local use). */
  async pollOnce(): Promise<number> {
    const free = this.options.concurrency - this.running;
    if (free <= 0) return 0;
    const response = await this.options.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.min(10, free),
        WaitTimeSeconds: this.options.waitTimeSeconds ?? 20,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
      { abortSignal: this.abort.signal },
    );
    const messages = response.Messages ?? [];
    for (const message of messages) this.dispatch(message);
    return messages.length;
  }

  /** Resolves when every scan started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      if (this.running >= this.options.concurrency) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      try {
        await this.pollOnce();
        this.receiveFailures = 0;
      } catch (err) {
        if (this.stopped) break;
        this.receiveFailures++;
        this.options.logger.warn('SQS receive failed', { err });
        await new Promise((resolve) => setTimeout(resolve, this.options.errorBackoffMs ?? 5_000).unref());
      }
    }
  }

  private dispatch(message: Message): void {
    const request = parseScanRequest(message.Body);
    if (request === null) {
      this.options.onMalformed?.(message);
      this.options.onMessage?.('malformed');
      // A body that is not a scan request never becomes one: delete it rather than loop to the DLQ.
      this.track(this.delete(message));
      return;
    }
    if (this.digests.has(request.digest)) {
      this.options.onMessage?.('duplicate');
      this.track(this.delete(message));
      return;
    }
    const attempt = Number(message.Attributes?.ApproximateReceiveCount ?? '1') || 1;
    this.running++;
    this.digests.add(request.digest);
    // One beat per interval while the scan runs: each beat arms the next; the scan's end clears it.
    const timers = this.options.timers ?? backgroundTimers;
    let heartbeat: unknown;
    const beat = () => {
      heartbeat = timers.setTimeout(() => {
        beat();
        if (!message.ReceiptHandle) return;
        const extend = new ChangeMessageVisibilityCommand({
          QueueUrl: this.options.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: this.options.heartbeatVisibilitySeconds ?? defaultHeartbeatVisibility,
        });
        Promise.resolve()
          .then(() => this.options.client.send(extend))
          .catch((err: unknown) => this.options.logger.warn('SQS visibility heartbeat failed', { err, digest: request.digest }));
      }, this.options.heartbeatMs ?? defaultHeartbeatMs);
    };
    beat();
    const work = (async () => {
      let disposition: 'ok' | 'retry' = 'retry';
      try {
        disposition = await this.options.handle(request, attempt);
      } catch (err) {
        this.options.logger.error('scan handler threw', { err, digest: request.digest });
      } finally {
        timers.clearTimeout(heartbeat);
        this.running--;
        this.digests.delete(request.digest);
        this.slotFreed?.();
        this.slotFreed = null;
      }
      if (disposition === 'ok') {
        await this.delete(message);
        this.options.onMessage?.('deleted');
      } else {
        this.options.onMessage?.('retried');
      }
    })();
    this.track(work);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.options.logger.error('SQS message handling failed', { err }));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async delete(message: Message): Promise<void> {
    if (!message.ReceiptHandle) return;
    await this.options.client.send(new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
  }
}
