/**
 * The services' metrics as CloudWatch sees them. packages/telemetry's EmfPublisher prints one EMF
 * document per label set on stdout (the awslogs driver ships it, CloudWatch extracts the metrics):
 * namespace `netsidecar`, metric name = the Prometheus name, dimensions = every label, `service`
 * (the registry's default label: syslog, ntp, config, scan) included. Counters are sent as increases
 * per publication (Sum is the count in a period), gauges as values.
 * The tests check these names against the services' own registries.
 */
export const emfNamespace = 'netsidecar';

export const emfMetrics = {
  syslogDropped: 'netsidecar_syslog_dropped_total', // {service, reason}
  syslogUnparsed: 'netsidecar_syslog_unparsed_total', // {service}
  syslogUdpKernelDrops: 'netsidecar_syslog_udp_kernel_drops', // {service} gauge: cumulative per task since its socket opened
  ntpEventsDropped: 'netsidecar_ntp_events_dropped_total', // {service, reason}
  ntpSynchronised: 'netsidecar_ntp_synchronised', // {service} gauge 0/1
  ntpClientClockWarnings: 'netsidecar_ntp_client_clock_warnings_total', // {service}
  sinkEvents: 'netsidecar_sink_events_total', // {service, outcome}
  sinkRejected: 'netsidecar_sink_rejected_events_total', // {service, reason}
  sinkSpoolBytes: 'netsidecar_sink_spool_bytes', // {service} gauge
  cloudwatchCalls: 'netsidecar_cloudwatch_calls_total', // {service, operation, outcome}
  configUploads: 'netsidecar_config_uploads_total', // {service, outcome}: `stored` or the error code
  configComplianceFailures: 'netsidecar_config_compliance_failures_total', // {service}: compliance rules failed by uploads
  configStaleDevices: 'netsidecar_config_stale_devices', // {service} gauge: devices without an upload within their expected interval, at each task's last check
  scanScans: 'netsidecar_scan_scans_total', // {service, result}
  scanRunningRatio: 'netsidecar_scan_running_ratio', // {service} gauge: running scans / cap, per worker task
} as const;

/** Upload outcomes that mean a router's config was not recorded through no fault of the router. */
export const uploadLossOutcomes = ['sink_unavailable', 'busy'] as const;

/** `netsidecar_scan_scans_total` results of a scan that did not complete (services/scan-scheduler). */
export const scanFailureResults = ['trivy_failed', 'trivy_timeout', 'report_malformed', 'store_failed'] as const;

/**
 * Reason codes of `netsidecar_syslog_dropped_total` that mean lost or refused messages.
 * `idle_timeout` (a quiet connection closed) and `tls_handshake_failed` (scanners, health probes of
 * other tools) count connections, not messages, and are not alarms. Checked against services/syslog.
 */
export const syslogLossReasons = ['message_too_large', 'sink_full', 'sink_closed', 'framing_error', 'truncated_frame', 'connection_limit', 'empty'] as const;

/** `netsidecar_ntp_events_dropped_total` reasons: events the sink refused. */
export const ntpEventLossReasons = ['sink_full', 'sink_closed'] as const;

/** `netsidecar_sink_rejected_events_total` reasons registered at 0 by the CloudWatch sink. */
export const sinkRejectReasons = ['too_old', 'too_new', 'expired'] as const;

/** Metrics made by metric filters on the event log groups (namespace `netsidecar/events`). */
export const filterNamespace = 'netsidecar/events';
export const filterMetrics = {
  syslogByHost: 'syslog_messages', // dimension host
  configDrifted: 'config_drifted_uploads',
  scanNewCriticalHigh: 'scan_new_critical_high_findings',
  ntpClientClockWarnings: 'ntp_client_clock_warnings',
} as const;

/** The metric filter patterns (JSON patterns over the event fields). */
export const filterPatterns = {
  syslogAll: '{ ($.schema = "syslog/1") || ($.v = 2) }', // either contract version
  configDrifted: '{ ($.schema = "config/1") && ($.driftStatus = "drifted") }',
  scanNewCriticalHigh: '{ ($.schema = "scan/1") && ($.type = "finding_new") && (($.severity = "CRITICAL") || ($.severity = "HIGH")) }',
  ntpClientClockWarning: '{ ($.schema = "ntp/1") && ($.type = "client_clock_warning") }',
} as const;
