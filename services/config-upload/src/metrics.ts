import type { ServiceContext } from '@netsidecar/runtime';
import { counter } from '@netsidecar/telemetry';

type Registry = ServiceContext<unknown>['registry'];

export interface UploadMetrics {
  /** `stored`, or the error code of a refused request. */
  outcome(code: string): void;
  redactions(count: number): void;
}

export function createUploadMetrics(registry: Registry): UploadMetrics {
  const uploads = counter(registry, 'netsidecar_config_uploads_total', 'Upload and read API requests by outcome (stored or the error code)', ['outcome']);
  const redactions = counter(registry, 'netsidecar_config_redactions_total', 'Secret values replaced by tags');
  return {
    outcome: (code) => uploads.inc({ outcome: code }),
    redactions: (count) => redactions.inc(count),
  };
}
