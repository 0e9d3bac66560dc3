import { CloudWatchLogsClient, type CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';
import type { FakeCloudWatchLogs } from './types.js';

/**
 * A real SDK client aimed at a fake: region us-east-1, static made-up credentials (the fake checks
 * that a SigV4 header is there, not that it is valid), no retries, so each scripted fault reaches
 * the test exactly once. `overrides` win, e.g. `{ maxAttempts: 3 }` or
 * `{ requestHandler: { requestTimeout: 200 } }`. Call `client.destroy()` when done.
 */
export function cloudWatchLogsClientFor(fake: Pick<FakeCloudWatchLogs, 'endpoint'>, overrides: CloudWatchLogsClientConfig = {}): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    region: 'us-east-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIDFAKECLOUDWATCH00', secretAccessKey: 'fake-secret-access-key' },
    maxAttempts: 1,
    ...overrides,
  });
}
