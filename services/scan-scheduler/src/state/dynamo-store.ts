import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FindingRecord, ImageRecord, ScanFailure, ScanOutcome, Sighting, StateStore } from './records.js';
import { emptyCounts } from './records.js';

export interface DynamoStateStoreOptions {
  client: DynamoDBClient;
  imagesTable: string;
  findingsTable: string;
}

const batchWriteLimit = 25; // BatchWriteItem takes at most 25 items
const maxUnprocessedRounds = 8;

/**
 * The state in DynamoDB (README.md gives both key schemas). The planner and the workers write
 * disjoint attributes of an image with UpdateItem, so neither overwrites the other's.
 */
export class DynamoStateStore implements StateStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly options: DynamoStateStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async listImages(): Promise<ImageRecord[]> {
    const images: ImageRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({ TableName: this.options.imagesTable, ConsistentRead: true, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) images.push(normaliseImage(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return images;
  }

  async getImage(digest: string): Promise<ImageRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.options.imagesTable, Key: { digest }, ConsistentRead: true }));
    return result.Item ? normaliseImage(result.Item) : undefined;
  }

  async recordSighting(sighting: Sighting): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.options.imagesTable,
        Key: { digest: sighting.digest },
        UpdateExpression:
          'SET repository = :repository, #references = :references, locations = :locations, #owner = :owner, running = :true, lastSeenAt = :seen, firstSeenAt = if_not_exists(firstSeenAt, :seen)',
        ExpressionAttributeNames: { '#references': 'references', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':repository': sighting.repository,
          ':references': sighting.references,
          ':locations': sighting.locations,
          ':owner': sighting.owner,
          ':true': true,
          ':seen': sighting.seenAt,
        },
      }),
    );
  }

  async markGone(digest: string): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.options.imagesTable,
        Key: { digest },
        UpdateExpression: 'SET running = :false',
        ConditionExpression: 'attribute_exists(digest)',
        ExpressionAttributeValues: { ':false': false },
      }),
    );
  }

  async claimForQueue(digest: string, now: string, leaseMs: number): Promise<boolean> {
    const cutoff = new Date(Date.parse(now) - leaseMs).toISOString();
    return this.conditional(
      new UpdateCommand({
        TableName: this.options.imagesTable,
        Key: { digest },
        UpdateExpression: 'SET lastQueuedAt = :now',
        // ISO strings of one format compare as times. NULL (never queued/scanned) is not a string:
        // attribute_type tells it apart.
        ConditionExpression:
          'attribute_exists(digest) AND (attribute_not_exists(lastQueuedAt) OR attribute_type(lastQueuedAt, :null) OR lastQueuedAt < :cutoff OR (attribute_type(lastScannedAt, :s) AND lastScannedAt >= lastQueuedAt))',
        ExpressionAttributeValues: { ':now': now, ':cutoff': cutoff, ':null': 'NULL', ':s': 'S' },
      }),
    );
  }

  async releaseClaim(digest: string, claimedAt: string, previous: string | null): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.options.imagesTable,
        Key: { digest },
        UpdateExpression: 'SET lastQueuedAt = :previous',
        ConditionExpression: 'lastQueuedAt = :claimed',
        ExpressionAttributeValues: { ':previous': previous, ':claimed': claimedAt },
      }),
    );
  }

  async recordScan(digest: string, outcome: ScanOutcome): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.options.imagesTable,
        Key: { digest },
        // The failure fields are removed, not set to NULL: if_not_exists(failingSince) in
        // recordScanFailure must see a failure after this success as the first one.
        UpdateExpression:
          'SET lastScannedAt = :at, lastScanId = :scanId, dbUpdatedAt = :db, trivyVersion = :trivy, openCounts = :counts REMOVE lastScanError, lastScanErrorCode, lastScanFailedAt, failingSince, failedAttempts',
        ConditionExpression: 'attribute_exists(digest)',
        ExpressionAttributeValues: {
          ':at': outcome.scannedAt,
          ':scanId': outcome.scanId,
          ':db': outcome.dbUpdatedAt,
          ':trivy': outcome.trivyVersion,
          ':counts': outcome.openCounts,
        },
      }),
    );
  }

  async recordScanFailure(digest: string, failure: ScanFailure): Promise<void> {
    await this.conditional(
      new UpdateCommand({
        TableName: this.options.imagesTable,
        Key: { digest },
        UpdateExpression:
          'SET lastScanError = :message, lastScanErrorCode = :code, lastScanFailedAt = :at, failingSince = if_not_exists(failingSince, :at), failedAttempts = if_not_exists(failedAttempts, :zero) + :one',
        // Newer than the last success and the last failure: the same write twice counts once, and
        // an attempt that ended before a later success changes nothing.
        ConditionExpression:
          'attribute_exists(digest) AND (attribute_not_exists(lastScannedAt) OR attribute_type(lastScannedAt, :null) OR lastScannedAt < :at) AND (attribute_not_exists(lastScanFailedAt) OR attribute_type(lastScanFailedAt, :null) OR lastScanFailedAt < :at)',
        ExpressionAttributeValues: { ':message': failure.message, ':code': failure.code, ':at': failure.failedAt, ':zero': 0, ':one': 1, ':null': 'NULL' },
      }),
    );
  }

  async listFindings(digest: string): Promise<FindingRecord[]> {
    const findings: FindingRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.options.findingsTable,
          KeyConditionExpression: 'digest = :digest',
          ExpressionAttributeValues: { ':digest': digest },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) findings.push(item as FindingRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    return findings;
  }

  async putFindings(findings: readonly FindingRecord[]): Promise<void> {
    for (let i = 0; i < findings.length; i += batchWriteLimit) {
      let requests: Record<string, unknown>[] = findings.slice(i, i + batchWriteLimit).map((item) => ({ PutRequest: { Item: item } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round === maxUnprocessedRounds) throw new Error(`DynamoDB left ${requests.length} findings unprocessed after ${round} rounds`);
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.options.findingsTable]: requests } }));
        requests = result.UnprocessedItems?.[this.options.findingsTable] ?? [];
        if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      }
    }
  }

  /** Runs a conditional update; false when the condition did not hold. */
  private async conditional(command: UpdateCommand): Promise<boolean> {
    try {
      await this.doc.send(command);
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}

function normaliseImage(item: Record<string, unknown>): ImageRecord {
  const value = item as Partial<ImageRecord>;
  return {
    digest: String(value.digest),
    repository: value.repository ?? '',
    references: value.references ?? [],
    locations: value.locations ?? [],
    owner: value.owner ?? null,
    running: value.running ?? false,
    firstSeenAt: value.firstSeenAt ?? '',
    lastSeenAt: value.lastSeenAt ?? '',
    lastScannedAt: value.lastScannedAt ?? null,
    lastQueuedAt: value.lastQueuedAt ?? null,
    lastScanId: value.lastScanId ?? null,
    dbUpdatedAt: value.dbUpdatedAt ?? null,
    trivyVersion: value.trivyVersion ?? null,
    lastScanError: value.lastScanError ?? null,
    lastScanErrorCode: value.lastScanErrorCode ?? null,
    lastScanFailedAt: value.lastScanFailedAt ?? null,
    failingSince: value.failingSince ?? null,
    failedAttempts: Number(value.failedAttempts ?? 0),
    openCounts: { ...emptyCounts(), ...(value.openCounts ?? {}) },
  };
}
