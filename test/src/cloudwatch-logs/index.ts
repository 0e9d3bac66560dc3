export { startFakeCloudWatchLogs } from './server.js';
export { cloudWatchLogsClientFor } from './client.js';
export type {
  CallRecord,
  FakeCloudWatchLogs,
  FakeCloudWatchLogsOptions,
  Fault,
  FaultKind,
  OutageKind,
  QueryPlan,
  QueryRecord,
  QueryStatus,
  StoredLogEvent,
} from './types.js';
export {
  EVENT_OVERHEAD_BYTES,
  MAX_AGE_MS,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  MAX_BATCH_SPAN_MS,
  MAX_EVENT_BYTES,
  MAX_EVENT_MESSAGE_BYTES,
  MAX_FUTURE_MS,
} from './put-log-events-rules.js';
