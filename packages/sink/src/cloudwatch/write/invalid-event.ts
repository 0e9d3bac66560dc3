import type { SinkEvent } from '../../sink.js';
import { MAX_NAME_LENGTH } from '../limits.js';

const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;

/** The first field of an event that CloudWatch could never take, or undefined. */
export function invalidField(event: SinkEvent): string | undefined {
  if (typeof event !== 'object' || event === null) return 'event';
  const { logGroup, logStream, timestamp, message } = event;
  if (typeof logGroup !== 'string' || logGroup.length === 0 || logGroup.length > MAX_NAME_LENGTH || !LOG_GROUP_NAME.test(logGroup)) return 'logGroup';
  if (typeof logStream !== 'string' || logStream.length === 0 || logStream.length > MAX_NAME_LENGTH || /[:*]/.test(logStream)) return 'logStream';
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) return 'timestamp';
  if (typeof message !== 'string' || message.length === 0) return 'message';
  return undefined;
}
