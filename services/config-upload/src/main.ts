#!/usr/bin/env node
import { serviceTable } from '@netsidecar/contracts';
import { runService } from '@netsidecar/runtime';
import { uploadVariables } from './config.js';
import { startConfigUploadService } from './service.js';

await runService({
  name: serviceTable.config.name,
  schema: uploadVariables,
  ownPrefix: serviceTable.config.envPrefix,
  healthPort: (config) => config.NETSIDECAR_UPLOAD_HEALTH_PORT,
  // The health port listens where the upload port does (a host with one management address, a test on loopback).
  healthAddress: (config) => config.NETSIDECAR_UPLOAD_BIND_ADDRESS,
  start: (context) => startConfigUploadService(context),
});
