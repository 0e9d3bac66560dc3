#!/usr/bin/env node
import { serviceTable } from '@netsidecar/contracts';
import { runService } from '@netsidecar/runtime';
import { syslogVariables } from './config.js';
import { startSyslogService } from './service.js';

await runService({
  name: serviceTable.syslog.name,
  schema: syslogVariables,
  ownPrefix: serviceTable.syslog.envPrefix,
  healthPort: (config) => config.NETSIDECAR_SYSLOG_HEALTH_PORT,
  start: startSyslogService,
});
