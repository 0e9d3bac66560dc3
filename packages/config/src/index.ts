export * from './coded-error.js';
export * from './config-error.js';
export * from './parsers.js';
export * from './load-config.js';
export * from './common.js';
