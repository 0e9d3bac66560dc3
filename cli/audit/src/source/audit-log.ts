import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { auditCli, logGroupOf } from '@netsidecar/contracts';
import { fileNameOf } from '@netsidecar/sink';
import { AuditError } from '../errors.js';
import { countedCalls, type RetryPolicy } from './retry.js';

/**
 * The audit CLI's own log group, `<prefix>/audit`: where `evidence --record` and `record` write the
 * SHA-256 of a bundle's SHA256SUMS (an `audit/1` event), and where `verify` looks for it. A bundle
 * then vouches for more than itself: rewriting a file means rewriting SHA256SUMS, whose new digest
 * is in no record. One stream, `evidence`; one small event per bundle.
 */
export const EVIDENCE_STREAM = auditCli.evidenceStream;

export const auditLogGroup = (prefix: string): string => logGroupOf(prefix, 'audit');

export interface RecordedEvent {
  timestamp: number;
  message: string;
}

export interface AuditLog {
  /** Where records go, for messages: `log group /netsidecar/audit, stream evidence (CloudWatch Logs)`. */
  readonly where: string;
  append(timestamp: number, message: string): Promise<void>;
  /** The records whose message contains `term` (a hex digest), oldest first; AUDIT_NO_LOG_GROUP when the group is absent. */
  find(term: string): Promise<RecordedEvent[]>;
}

/** The file sink's layout (`<dataDir>/logs/<group without leading slash>/<stream>.jsonl`), as a service would write it. */
export function createFileAuditLog(dataDir: string, prefix: string): AuditLog {
  const dir = join(dataDir, 'logs', auditLogGroup(prefix).replace(/^\/+/, ''));
  const file = join(dir, fileNameOf(EVIDENCE_STREAM));
  return {
    where: `log group ${auditLogGroup(prefix)}, stream ${EVIDENCE_STREAM} (file sink: ${file})`,
    async append(_timestamp, message) {
      try {
        await mkdir(dir, { recursive: true });
        await appendFile(file, message + '\n');
      } catch (err) {
        throw new AuditError('AUDIT_IO', `cannot append to ${file}: ${(err as Error).message}`);
      }
    },
    async find(term) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AuditError('AUDIT_IO', `cannot read ${file}: ${(err as Error).message}`);
        throw new AuditError('AUDIT_NO_LOG_GROUP', `no file sink file ${file} (log group ${auditLogGroup(prefix)})`);
      }
      // The file sink keeps no timestamp: the record's `time` is its time.
      return text
        .split('\n')
        .filter((line) => line.includes(term))
        .map((message) => ({ timestamp: Date.parse(/"time":"([^"]+)"/.exec(message)?.[1] ?? ''), message }));
    },
  };
}

export interface CloudWatchAuditLogOptions {
  client: CloudWatchLogsClient;
  prefix: string;
  retry: RetryPolicy;
  region: string;
}

/**
 * CloudWatch Logs: PutLogEvents to `<prefix>/audit`, stream `evidence` (created when absent; the
 * group is not: it is the stack's, with its retention and KMS key), and FilterLogEvents with the
 * digest as a term to find it. IAM: `logs:PutLogEvents`, `logs:CreateLogStream` to record,
 * `logs:FilterLogEvents` to verify, on that group only.
 */
export function createCloudWatchAuditLog(o: CloudWatchAuditLogOptions): AuditLog {
  const group = auditLogGroup(o.prefix);
  const call = countedCalls(o.retry, {});
  const notFound = (err: unknown) => err instanceof AuditError && err.message.includes('ResourceNotFoundException');
  const noGroup = () => new AuditError('AUDIT_NO_LOG_GROUP', `log group ${group} does not exist in region ${o.region}`);
  const put = (timestamp: number, message: string) =>
    call('PutLogEvents', () =>
      o.client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: EVIDENCE_STREAM, logEvents: [{ timestamp, message }] })),
    );
  return {
    where: `log group ${group}, stream ${EVIDENCE_STREAM} (CloudWatch Logs, region ${o.region})`,
    async append(timestamp, message) {
      let answer;
      try {
        answer = await put(timestamp, message);
      } catch (err) {
        if (!notFound(err)) throw err;
        try {
          await call('CreateLogStream', () => o.client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: EVIDENCE_STREAM })));
        } catch (createErr) {
          if (notFound(createErr)) throw noGroup();
          // Another run created it meanwhile: fine.
          if (!(createErr instanceof AuditError && createErr.message.includes('ResourceAlreadyExistsException'))) throw createErr;
        }
        answer = await put(timestamp, message);
      }
      const rejected = answer.rejectedLogEventsInfo;
      if (rejected !== undefined && Object.keys(rejected).length > 0) {
        throw new AuditError('AUDIT_AWS_ERROR', `PutLogEvents rejected the record: ${JSON.stringify(rejected)} (is this machine's clock right?)`);
      }
    },
    async find(term) {
      const found: RecordedEvent[] = [];
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        let page;
        try {
          page = await call('FilterLogEvents', () =>
            o.client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: `"${term}"`, nextToken: token })),
          );
        } catch (err) {
          // The whole group (it holds only records): a stream name that does not exist yet would be an error of its own.
          if (notFound(err)) throw noGroup();
          throw err;
        }
        for (const e of page.events ?? []) {
          if (e.message !== undefined && e.timestamp !== undefined) found.push({ timestamp: e.timestamp, message: e.message });
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return found;
    },
  };
}
