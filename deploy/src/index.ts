export * from './config.js';
export * from './load-config.js';
export * from './services.js';
export * from './metrics.js';
export * from './queries.js';
export * from './secret-files.js';
export * from './logging.js';
export * from './stack.js';
export { buildApp } from './app.js';
