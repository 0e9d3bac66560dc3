#!/usr/bin/env node
import { runService } from '@netsidecar/runtime';
import { syslogVariables } from './config.js';
import { startSyslogService } from './service.js';

await runService({
  name: 'syslog',
  schema: syslogVariables,
  ownPrefix: 'NETSIDECAR_SYSLOG_',
  healthPort: (config) => config.NETSIDECAR_SYSLOG_HEALTH_PORT,
  start: startSyslogService,
});
