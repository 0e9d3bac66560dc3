#!/usr/bin/env node
import { serviceTable } from '@netsidecar/contracts';
import { runService } from '@netsidecar/runtime';
import { ntpVariables } from './config.js';
import { startNtpService } from './service.js';

await runService({
  name: serviceTable.ntp.name,
  schema: ntpVariables,
  ownPrefix: serviceTable.ntp.envPrefix,
  healthPort: (config) => config.NETSIDECAR_NTP_HEALTH_PORT,
  start: (context) => startNtpService(context),
});
