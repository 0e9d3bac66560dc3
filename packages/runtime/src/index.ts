export * from './create-sink.js';
export { spoolOwnerName } from './spool-owner.js';
export * from './shutdown.js';
export * from './open-runtime.js';
export * from './run-service.js';
export * from './run-job.js';
export * from './events/index.js';
