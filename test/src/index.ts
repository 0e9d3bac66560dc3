export * from './cloudwatch-logs/index.js';
