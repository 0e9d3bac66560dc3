import { logGroupNameOrIdentifier, optionalBoolean, optionalInteger, optionalString, requiredString } from '../input.js';
import { logGroupArn, type Operation } from '../operation.js';
import { invalidParameter, LOG_GROUP_NOT_FOUND } from '../service-error.js';
import { compareNames } from '../store.js';
import { decodeOffset, encodeOffset } from '../tokens.js';

/** CreateLogStream, DescribeLogStreams. */

/** Model constraint of LogStreamName: 1 to 512 characters, none of them `:` or `*`. */
export function checkLogStreamName(name: string): void {
  if (name.length < 1 || name.length > 512 || /[:*]/.test(name)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name.slice(0, 100)}' at 'logStreamName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [^:*]* (length 1 to 512)',
    );
  }
}

export const sequenceToken = (n: number): string => String(n).padStart(56, '0');

export const createLogStream: Operation = {
  name: 'CreateLogStream',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    const group = requiredString(input, 'logGroupName');
    const stream = requiredString(input, 'logStreamName');
    checkLogStreamName(stream);
    ctx.store.createStream(group, stream, ctx.now);
    return {};
  },
};

const DESCRIBE_LIMIT = 50; // default and maximum page size of DescribeLogStreams

export const describeLogStreams: Operation = {
  name: 'DescribeLogStreams',
  notFoundMessage: LOG_GROUP_NOT_FOUND,
  apply(input, ctx) {
    const groupName = logGroupNameOrIdentifier(input);
    const prefix = optionalString(input, 'logStreamNamePrefix');
    const orderBy = optionalString(input, 'orderBy') ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw invalidParameter(
        `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: ` +
          'Member must satisfy enum value set: [LogStreamName, LastEventTime]',
      );
    }
    if (orderBy === 'LastEventTime' && prefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const descending = optionalBoolean(input, 'descending') ?? false;
    const limit = optionalInteger(input, 'limit', 1, DESCRIBE_LIMIT) ?? DESCRIBE_LIMIT;
    const offset = decodeOffset('streams', optionalString(input, 'nextToken'));
    const group = ctx.store.requireGroup(groupName);
    let streams = group.sortedStreams().filter((s) => prefix === undefined || s.name.startsWith(prefix));
    if (orderBy === 'LastEventTime') {
      streams.sort((a, b) => (a.lastEventTimestamp ?? -Infinity) - (b.lastEventTimestamp ?? -Infinity) || compareNames(a.name, b.name));
    }
    if (descending) streams = streams.reverse();
    const page = streams.slice(offset, offset + limit);
    const end = offset + page.length;
    const arn = logGroupArn(ctx, group.name);
    return {
      logStreams: page.map((s) => ({
        logStreamName: s.name,
        creationTime: s.creationTime,
        ...(s.firstEventTimestamp === undefined
          ? {}
          : {
              firstEventTimestamp: s.firstEventTimestamp,
              lastEventTimestamp: s.lastEventTimestamp,
              lastIngestionTime: s.lastIngestionTime,
            }),
        uploadSequenceToken: sequenceToken(s.sequence),
        arn: `${arn}:log-stream:${s.name}`,
        storedBytes: 0, // always 0 for streams since 2019 (API reference)
      })),
      ...(end < streams.length ? { nextToken: encodeOffset('streams', end) } : {}),
    };
  },
};
