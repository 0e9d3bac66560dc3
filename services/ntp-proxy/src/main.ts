#!/usr/bin/env node
import { runService } from '@netsidecar/runtime';
import { ntpVariables } from './config.js';
import { startNtpService } from './service.js';

await runService({
  name: 'ntp',
  schema: ntpVariables,
  ownPrefix: 'NETSIDECAR_NTP_',
  healthPort: (config) => config.NETSIDECAR_NTP_HEALTH_PORT,
  start: (context) => startNtpService(context),
});
