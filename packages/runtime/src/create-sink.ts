import type { Registry } from 'prom-client';
import type { SinkKind } from '@netsidecar/config';
import type { Logger } from '@netsidecar/telemetry';
import { FileSink, StdoutSink, createCloudWatchSink, type Sink } from '@netsidecar/sink';
import { spoolOwnerName } from './spool-owner.js';

export interface SinkSettings {
  kind: SinkKind;
  /** The service's name: the spool folder of the CloudWatch sink. */
  service: string;
  dataDir: string;
  flushIntervalMs: number;
  memoryLimitBytes: number;
  spoolLimitBytes: number;
  /** The CloudWatch spool is on a volume all tasks share (NETSIDECAR_SPOOL_SHARED); default false. */
  spoolShared?: boolean;
  registry: Registry;
  logger: Logger;
}

/** The one place that turns NETSIDECAR_SINK into a sink. */
export async function createSink(settings: SinkSettings): Promise<Sink> {
  switch (settings.kind) {
    case 'file':
      return new FileSink({
        dataDir: settings.dataDir,
        registry: settings.registry,
        logger: settings.logger.child({ component: 'file-sink' }),
        flushIntervalMs: settings.flushIntervalMs,
        memoryLimitBytes: settings.memoryLimitBytes,
      });
    case 'stdout':
      return new StdoutSink({ registry: settings.registry, memoryLimitBytes: settings.memoryLimitBytes });
    case 'cloudwatch':
      // Region, endpoint and credentials come from the standard AWS SDK environment.
      return createCloudWatchSink({
        dataDir: settings.dataDir,
        name: settings.service,
        registry: settings.registry,
        logger: settings.logger.child({ component: 'cloudwatch-sink' }),
        flushIntervalMs: settings.flushIntervalMs,
        memoryLimitBytes: settings.memoryLimitBytes,
        spoolLimitBytes: settings.spoolLimitBytes,
        ...(settings.spoolShared === true ? { spoolOwner: await spoolOwnerName() } : {}),
      });
  }
}
