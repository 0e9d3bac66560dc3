export * from './config.js';
export * from './service.js';
export * from './metrics.js';
export { FrameDecoder } from './frame-decoder.js';
export { parseSyslog } from './parser/index.js';
export { EventEncoder } from './encode-event.js';
export type { SyslogEvent } from '@netsidecar/contracts';
export { eventEncoding, type EventEncoding } from './event-encoding.js';
