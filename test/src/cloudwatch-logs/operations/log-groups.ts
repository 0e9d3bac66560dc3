import { optionalInteger, optionalString, requiredString, type Input } from '../input.js';
import { logGroupArn, type Operation, type OperationContext } from '../operation.js';
import { invalidParameter, LOG_GROUP_NOT_FOUND } from '../service-error.js';
import type { LogGroupState } from '../store.js';
import { decodeOffset, encodeOffset } from '../tokens.js';

/** CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy. */

/** Model constraint of LogGroupName: 1 to 512 of `[.-_/#A-Za-z0-9]`. */
export function checkLogGroupName(name: string): void {
  if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(name)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name.slice(0, 100)}' at 'logGroupName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ (length 1 to 512)',
    );
  }
}

/** The values PutRetentionPolicy accepts (API reference). */
export const RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const createLogGroup: Operation = {
  name: 'CreateLogGroup',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    const name = requiredString(input, 'logGroupName');
    checkLogGroupName(name);
    // kmsKeyId: a key ARN, at most 256 characters (API reference); the key itself is not checked here.
    const kmsKeyId = optionalString(input, 'kmsKeyId');
    if (kmsKeyId !== undefined && (kmsKeyId.length > 256 || !kmsKeyId.startsWith('arn:'))) {
      throw invalidParameter(
        `1 validation error detected: Value '${kmsKeyId.slice(0, 100)}' at 'kmsKeyId' failed to satisfy constraint: Member must be a KMS key ARN of at most 256 characters`,
      );
    }
    ctx.store.createGroup(name, ctx.now).kmsKeyId = kmsKeyId;
    return {};
  },
};

export const deleteLogGroup: Operation = {
  name: 'DeleteLogGroup',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    ctx.store.deleteGroup(requiredString(input, 'logGroupName'));
    return {};
  },
};

export const putRetentionPolicy: Operation = {
  name: 'PutRetentionPolicy',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    const name = requiredString(input, 'logGroupName');
    const days = optionalInteger(input, 'retentionInDays', 1, 3653);
    if (days === undefined || !RETENTION_DAYS.includes(days)) {
      throw invalidParameter(
        `1 validation error detected: Value '${String(input['retentionInDays'])}' at 'retentionInDays' failed to ` +
          `satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    }
    ctx.store.requireGroup(name).retentionInDays = days;
    return {};
  },
};

const DESCRIBE_LIMIT = 50; // default and maximum page size of DescribeLogGroups

function describeGroup(group: LogGroupState, ctx: OperationContext, brief: boolean): object {
  const arn = logGroupArn(ctx, group.name);
  if (brief) return { logGroupName: group.name, creationTime: group.creationTime, arn: `${arn}:*` };
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
    ...(group.kmsKeyId === undefined ? {} : { kmsKeyId: group.kmsKeyId }),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes: group.storedBytes,
    logGroupClass: 'STANDARD',
  };
}

export const describeLogGroups: Operation = {
  name: 'DescribeLogGroups',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input: Input, ctx) {
    const prefix = optionalString(input, 'logGroupNamePrefix');
    const pattern = optionalString(input, 'logGroupNamePattern');
    if (prefix !== undefined && pattern !== undefined) {
      throw invalidParameter('logGroupNamePrefix and logGroupNamePattern are mutually exclusive.');
    }
    const limit = optionalInteger(input, 'limit', 1, DESCRIBE_LIMIT) ?? DESCRIBE_LIMIT;
    const offset = decodeOffset('groups', optionalString(input, 'nextToken'));
    const matching = ctx.store
      .sortedGroups()
      .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.includes(pattern)));
    const page = matching.slice(offset, offset + limit);
    const end = offset + page.length;
    return {
      logGroups: page.map((g) => describeGroup(g, ctx, pattern !== undefined)),
      ...(end < matching.length ? { nextToken: encodeOffset('groups', end) } : {}),
    };
  },
};
