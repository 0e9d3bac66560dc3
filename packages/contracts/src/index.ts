// @netsidecar/contracts: what the services, the audit CLI and the CDK app agree on, written once.
// Data, types and pure functions of strings; no I/O (README.md).
export * from './services.js';
export * from './schemas.js';
export * from './parts/index.js';
export * from './syslog/index.js';
