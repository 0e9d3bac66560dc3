export { main } from './main.js';
export type { MainIo } from './context.js';
export { AuditError, auditErrors, type AuditErrorCode } from './errors.js';
export { createFileSource, type FileSourceOptions } from './source/file-source.js';
export { createCloudWatchSource, type CloudWatchSourceOptions } from './source/cloudwatch-source.js';
export type { EventSource, EventQuery, Provenance } from './source/source.js';
export type { AuditEvent } from './event.js';
export { joinParts } from './parts-joiner.js';
export { services, type Service } from './services.js';
