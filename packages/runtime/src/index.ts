export * from './create-sink.js';
export * from './shutdown.js';
export * from './run-service.js';
export * from './events/index.js';
