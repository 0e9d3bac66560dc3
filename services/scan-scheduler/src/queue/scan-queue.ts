import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ScanRequest } from './scan-request.js';

/** Where the planner puts scan requests: SQS in production, an array in local mode. */
export interface ScanQueue {
  /** Returns the requests that could not be sent (their claim is released by the planner). */
  send(requests: readonly ScanRequest[]): Promise<{ failed: { request: ScanRequest; message: string }[] }>;
}

const sendBatchLimit = 10; // SendMessageBatch takes at most 10 entries

export class SqsScanQueue implements ScanQueue {
  private readonly fifo: boolean;

  constructor(private readonly options: { client: Pick<SQSClient, 'send'>; queueUrl: string; onCall?: () => void }) {
    this.fifo = options.queueUrl.endsWith('.fifo');
  }

  async send(requests: readonly ScanRequest[]): Promise<{ failed: { request: ScanRequest; message: string }[] }> {
    const failed: { request: ScanRequest; message: string }[] = [];
    for (let i = 0; i < requests.length; i += sendBatchLimit) {
      const batch = requests.slice(i, i + sendBatchLimit);
      const entries = batch.map((request, index) => {
        const hex = request.digest.slice('sha256:'.length);
        return {
          Id: String(index),
          MessageBody: JSON.stringify(request),
          // FIFO: the digest is the deduplication key, and its own group so scans run in parallel.
          ...(this.fifo ? { MessageDeduplicationId: hex, MessageGroupId: hex } : {}),
        };
      });
      try {
        this.options.onCall?.();
        const result = await this.options.client.send(new SendMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }));
        for (const failure of result.Failed ?? []) {
          const request = batch[Number(failure.Id)];
          if (request) failed.push({ request, message: `${failure.Code ?? 'error'}: ${failure.Message ?? ''}`.trim() });
        }
      } catch (err) {
        for (const request of batch) failed.push({ request, message: (err as Error).message });
      }
    }
    return { failed };
  }
}

export class MemoryScanQueue implements ScanQueue {
  readonly requests: ScanRequest[] = [];
  async send(requests: readonly ScanRequest[]): Promise<{ failed: { request: ScanRequest; message: string }[] }> {
    this.requests.push(...requests);
    return { failed: [] };
  }
}
