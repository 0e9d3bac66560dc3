export * from './cloudwatch-logs/index.js';
export * from './logs-insights/index.js';
export * from './eventually.js';
