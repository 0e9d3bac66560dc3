export * from './logger.js';
export * from './health.js';
export * from './health-server.js';
export * from './metrics.js';
export * from './hot-counter.js';
export * from './emf.js';
export * from './kernel-udp-drops.js';
