import type { Registry } from 'prom-client';
import { counter, gauge } from '@netsidecar/telemetry';

export const scanResults = ['ok', 'trivy_failed', 'trivy_timeout', 'report_malformed', 'store_failed', 'notify_failed'] as const;
export type ScanResult = (typeof scanResults)[number];

export type ScanMetrics = ReturnType<typeof createScanMetrics>;

/** README.md, "Metrics". Every label value is visible at 0 from the start, for alarms. */
export function createScanMetrics(registry: Registry, cap: number, running: () => number) {
  const scans = counter(registry, 'netsidecar_scan_scans_total', 'Scans by result', ['result']);
  for (const result of scanResults) scans.inc({ result }, 0);
  const findings = counter(registry, 'netsidecar_scan_findings_total', 'Finding transitions', ['transition']);
  for (const transition of ['new', 'resolved', 'ignored', 'reopened']) findings.inc({ transition }, 0);
  const notifications = counter(registry, 'netsidecar_scan_notifications_total', 'Slack messages by kind and result', ['kind', 'result']);
  const messages = counter(registry, 'netsidecar_scan_messages_total', 'SQS messages by outcome', ['result']);
  for (const result of ['deleted', 'retried', 'malformed', 'duplicate']) messages.inc({ result }, 0);
  gauge(registry, 'netsidecar_scan_running', 'Scans running now in this task', [], function () {
    this.set(running());
  });
  gauge(registry, 'netsidecar_scan_concurrency_cap', 'Scans allowed at once in this task (NETSIDECAR_SCAN_CONCURRENCY)').set(cap);
  gauge(registry, 'netsidecar_scan_running_ratio', 'Running scans / cap: alarms at 0.7 and 1', [], function () {
    this.set(running() / cap);
  });
  return {
    scans,
    findings,
    notifications,
    messages,
    slackRetries: counter(registry, 'netsidecar_scan_slack_retries_total', 'Slack webhook retries (429, 5xx, network)'),
    enqueued: counter(registry, 'netsidecar_scan_enqueued_total', 'Scan requests sent to SQS by the planner'),
    eventsDropped: counter(registry, 'netsidecar_scan_events_dropped_total', 'scan/1 events the sink refused, by reason (sink_full, sink_closed)', ['reason']),
  };
}
