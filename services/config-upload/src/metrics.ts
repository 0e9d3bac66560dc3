import type { ServiceContext } from '@netsidecar/runtime';
import { counter, gauge } from '@netsidecar/telemetry';
import type { NoticeMetrics } from './notify/change-notices.js';

type Registry = ServiceContext<unknown>['registry'];

export interface UploadMetrics {
  /** `stored`, or the error code of a refused request. */
  outcome(code: string): void;
  redactions(count: number): void;
  /** Rules an upload failed (0 when it passed them all). */
  complianceFailures(count: number): void;
  /** Devices whose last upload is older than their expected interval, at the last check. */
  staleDevices(count: number): void;
  /** Change notices by destination and outcome, and the outbox's size. */
  readonly notices: NoticeMetrics;
}

export function createUploadMetrics(registry: Registry): UploadMetrics {
  const uploads = counter(registry, 'netsidecar_config_uploads_total', 'Upload and read API requests by outcome (stored or the error code)', ['outcome']);
  const redactions = counter(registry, 'netsidecar_config_redactions_total', 'Secret values replaced by tags');
  // No labels: one series the alarm reads (the failing rule ids and devices are in the events).
  const complianceFailures = counter(
    registry,
    'netsidecar_config_compliance_failures_total',
    'Compliance rules failed by uploads (one per failed rule per upload)',
  );
  // No labels: one series the alarm reads (the warning log names each device and its last upload).
  const stale = gauge(
    registry,
    'netsidecar_config_stale_devices',
    'Devices whose last config upload is older than their expected interval (NETSIDECAR_UPLOAD_STALE_AFTER)',
  );
  const notices = counter(
    registry,
    'netsidecar_config_notices_total',
    'Change notices by destination (slack, sns) and outcome (sent, retried, failed, expired, dropped)',
    ['destination', 'outcome'],
  );
  const noticesPending = gauge(registry, 'netsidecar_config_notices_pending', 'Change notices in the outbox, not yet posted to every destination');
  return {
    notices: {
      notice: (destination, outcome) => notices.inc({ destination, outcome }),
      pending: (records) => noticesPending.set(records),
    },
    staleDevices: (count) => stale.set(count),
    outcome: (code) => uploads.inc({ outcome: code }),
    redactions: (count) => redactions.inc(count),
    complianceFailures: (count) => complianceFailures.inc(count),
  };
}
