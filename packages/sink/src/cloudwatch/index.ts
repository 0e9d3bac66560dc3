/** The CloudWatch Logs sink: `createCloudWatchSink()`, and the helpers its users need. */
export { createCloudWatchSink, type CloudWatchSink, type CloudWatchSinkStats } from './cloudwatch-sink.js';
export {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_CONCURRENT_STREAMS,
  DEFAULT_MEMORY_LIMIT_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SPOOL_LEASE_MS,
  DEFAULT_SPOOL_LIMIT_BYTES,
  SinkOptionError,
  type CloudWatchSinkOptions,
} from './config.js';
export { RETRY_BASE_MS, RETRY_CAP_MS } from './retry/backoff.js';
export { DEFAULT_MAX_EVENT_BYTES } from './limits.js';
export { backgroundTimers, systemTimers, type Timers } from './timers.js';
