#!/usr/bin/env node
// The monthly cost of a netsidecar estate: `node deploy/scripts/cost-model.mjs [--syslog-bytes 397]
// [--routers 500] [--syslog-per-second 20] [--config-per-day 50] [--images-per-day 2000] [--json]`.
// Prints a Markdown table (deploy/README.md "Cost model" is its output for the reference estate).
// `costModel()` is the formula; deploy/test/cost-model.test.ts checks it line by line.

/**
 * AWS list prices, us-east-1, USD, as published on the AWS pricing pages for each service (read
 * 2026-12). `verified` says whether the figure was read on the pricing page or in AWS documentation
 * while writing this (true), or is taken as commonly published and should be checked (false).
 */
export const prices = {
  region: 'us-east-1',
  date: '2026-12',
  logsIngestPerGB: { usd: 0.5, verified: false, what: 'CloudWatch Logs ingestion, Standard class' },
  logsStoragePerGBMonth: { usd: 0.03, verified: false, what: 'CloudWatch Logs storage (archived, compressed)' },
  logsEventOverheadBytes: {
    usd: 26,
    verified: true,
    what: 'bytes CloudWatch Logs bills per event beyond its message (PutLogEvents quota; bench/RESULTS.md section 3)',
  },
  firehosePerGB: { usd: 0.029, verified: false, what: 'Firehose Direct PUT ingestion, first 500 TB/month' },
  firehoseRecordRoundingBytes: { usd: 5 * 1024, verified: true, what: 'Firehose bills each record rounded up to 5 KB (pricing page)' },
  firehoseDecompressionPerGB: {
    usd: 0.00325,
    verified: false,
    what: 'Firehose CloudWatch Logs decompression, per GB decompressed (assumption: confirm on the pricing page)',
  },
  s3StandardPerGBMonth: { usd: 0.023, verified: false, what: 'S3 Standard storage, first 50 TB' },
  s3GlacierIRPerGBMonth: { usd: 0.004, verified: false, what: 'S3 Glacier Instant Retrieval storage' },
  s3PutPer1000: { usd: 0.005, verified: false, what: 'S3 PUT requests' },
  s3TransitionPer1000: { usd: 0.02, verified: false, what: 'S3 lifecycle transitions to Glacier Instant Retrieval' },
  athenaPerTB: { usd: 5, verified: false, what: 'Athena, per TB scanned (10 MB minimum per query)' },
  fargateVcpuHour: { usd: 0.04048, verified: false, what: 'Fargate Linux/x86, per vCPU-hour' },
  fargateGBHour: { usd: 0.004445, verified: false, what: 'Fargate Linux/x86, per GB-hour' },
  nlbHour: { usd: 0.0225, verified: false, what: 'Network Load Balancer, per hour' },
  nlcuHour: { usd: 0.006, verified: false, what: 'Network Load Balancer, per NLCU-hour (1 GB processed per hour = 1 NLCU)' },
  efsElasticWritePerGB: { usd: 0.06, verified: false, what: 'EFS Elastic throughput, per GB written (the shared spool, deploy/README.md "Shared spool")' },
  metricMonth: { usd: 0.3, verified: false, what: 'CloudWatch custom metric, per metric-month (first 10,000)' },
  alarmMonth: { usd: 0.1, verified: false, what: 'CloudWatch standard alarm, per alarm-month (anomaly detection: 3x)' },
};

/** The reference estate of issue 14 and the sizes measured in bench/ and in the deploy tests. */
export const referenceEstate = {
  routers: 500,
  syslogPerSecond: 20, // per router
  /**
   * bench/RESULTS-syslog2.md: the mean syslog/2 event (the default) of the bench corpus through the
   * service's encoder, 396.6 B; syslog/1 (NETSIDECAR_SYSLOG_SCHEMA=1) is 797 B (`--syslog-bytes 797`).
   */
  syslogBytes: 397,
  /** ntp/1 client_summary, one per router every 5 minutes (deploy/test/events.ts measures ~300-600 B). */
  ntpEventsPerRouterPerDay: 288,
  ntpBytes: 600,
  configUploadsPerDay: 50,
  /** A config/1 event carries the redacted config and the diff: assumption, a 50 KB router config. */
  configBytes: 60_000,
  imagesScannedPerDay: 2000,
  /** scan/1: scan_started + scan_finished + ~5 finding events per scan; image_coverage per image per hourly planning run. */
  scanEventsPerImage: 7,
  runningImages: 2000,
  planningRunsPerDay: 24,
  scanBytes: 800, // deploy/test/events.ts: 700-940 B
  /** GZIP'd JSON lines over raw: assumption (syslog JSON repeats its keys; measure yours). */
  gzipRatio: 0.12,
  /** CloudWatch Logs subscription records per stream per second while a device talks (assumption). */
  recordsPerStreamPerSecond: 1,
  logRetentionMonths: 13, // 400 days
  archiveMonths: 13, // Object Lock 400 days, then expiry (archive.expireAfterDays)
  archiveColdAfterMonths: 3, // archive.coldAfterDays 90
  archiveBufferSeconds: 900, // archive.bufferSeconds; and Firehose's 128 MiB buffer size
  athenaTBScannedPerMonth: 1, // assumption: an auditor's ad-hoc queries
  /** Fargate tasks: the stack's default sizing (deploy/src/config.ts), desiredCount of each service. */
  tasks: [
    { name: 'syslog', count: 2, vcpu: 1, gb: 2 },
    { name: 'ntp', count: 2, vcpu: 0.25, gb: 0.5 },
    { name: 'config', count: 2, vcpu: 0.5, gb: 1 },
    { name: 'scan worker', count: 2, vcpu: 0.5, gb: 2 },
    { name: 'scan planner', count: (24 * 5) / 60 / 24, vcpu: 0.5, gb: 2 }, // hourly, ~5 min a run
  ],
  /** Spool frame bytes beyond the message: 8 frame header + 21 fixed + log group (~18) + stream (~9) (packages/sink record-format.ts). */
  spoolFrameOverheadBytes: 56,
  /** Custom metrics: syslog messages per host (metric filter) + EMF series (assumption: 200). */
  customMetrics: 500 + 200,
  alarms: 80,
  anomalyAlarms: 2,
};

const HOURS = 730; // per month, as AWS prices monthly
const DAY_S = 86_400;
const MONTH_DAYS = 30.4;
const GB = 1024 ** 3;

/**
 * $/month per line for an estate. Volumes: events/month × (bytes + 26) for CloudWatch; the same
 * bytes GZIP'd for Firehose (records rounded up to 5 KB) and S3; storage at steady state (retention).
 */
export function costModel(estate = referenceEstate, p = prices) {
  const e = estate;
  const month = (perDay) => perDay * MONTH_DAYS;
  const groups = {
    syslog: { events: month(e.routers * e.syslogPerSecond * DAY_S), bytes: e.syslogBytes, records: month(e.routers * e.recordsPerStreamPerSecond * DAY_S) },
    ntp: { events: month(e.routers * e.ntpEventsPerRouterPerDay), bytes: e.ntpBytes, records: month(e.routers * e.ntpEventsPerRouterPerDay) },
    config: { events: month(e.configUploadsPerDay), bytes: e.configBytes, records: month(e.configUploadsPerDay) },
    scan: {
      events: month(e.imagesScannedPerDay * e.scanEventsPerImage + e.runningImages * e.planningRunsPerDay),
      bytes: e.scanBytes,
      records: month(e.planningRunsPerDay + e.imagesScannedPerDay),
    },
  };
  const lines = [];
  const add = (line, usd, how) => lines.push({ line, usd, how });
  let ingestGB = 0;
  let rawGB = 0;
  let firehoseGB = 0;
  for (const [name, g] of Object.entries(groups)) {
    const billed = (g.events * (g.bytes + p.logsEventOverheadBytes.usd)) / GB;
    const raw = (g.events * g.bytes) / GB;
    ingestGB += billed;
    rawGB += raw;
    // Each subscription record is GZIP'd JSON of its events; Firehose bills it rounded up to 5 KB.
    const recordBytes = (raw * GB * e.gzipRatio) / g.records;
    firehoseGB += (g.records * Math.ceil(recordBytes / p.firehoseRecordRoundingBytes.usd) * p.firehoseRecordRoundingBytes.usd) / GB;
    add(
      `CloudWatch Logs ingestion: ${name}`,
      billed * p.logsIngestPerGB.usd,
      `${fmt(g.events)} events × (${g.bytes} + 26) B = ${fmt(billed)} GB × $${p.logsIngestPerGB.usd}`,
    );
  }
  const compressedGB = rawGB * e.gzipRatio;
  add(
    'CloudWatch Logs storage',
    compressedGB * e.logRetentionMonths * p.logsStoragePerGBMonth.usd,
    `${fmt(compressedGB)} GB/month compressed × ${e.logRetentionMonths} months kept × $${p.logsStoragePerGBMonth.usd}`,
  );
  add(
    'Firehose ingestion',
    firehoseGB * p.firehosePerGB.usd,
    `${fmt(firehoseGB)} GB billed (GZIP'd records, each rounded up to 5 KB) × $${p.firehosePerGB.usd}`,
  );
  add(
    'Firehose decompression',
    rawGB * p.firehoseDecompressionPerGB.usd,
    `${fmt(rawGB)} GB decompressed × $${p.firehoseDecompressionPerGB.usd} (unverified price)`,
  );
  const hot = compressedGB * e.archiveColdAfterMonths;
  const cold = compressedGB * (e.archiveMonths - e.archiveColdAfterMonths);
  // One object per stream per buffer interval, or per 128 MiB when that fills first.
  const objects =
    Object.values(groups).reduce((n, g) => n + Math.max(DAY_S / e.archiveBufferSeconds, ((g.events / MONTH_DAYS) * g.bytes) / (128 * 1024 ** 2)), 0) *
    MONTH_DAYS;
  add(
    'S3 archive storage',
    hot * p.s3StandardPerGBMonth.usd + cold * p.s3GlacierIRPerGBMonth.usd,
    `steady state: ${fmt(hot)} GB Standard + ${fmt(cold)} GB Glacier IR (Object Lock adds no charge; versions are the objects)`,
  );
  add('S3 archive requests', (objects / 1000) * (p.s3PutPer1000.usd + p.s3TransitionPer1000.usd), `${fmt(objects)} objects/month: PUT + one transition each`);
  add('Athena scans', e.athenaTBScannedPerMonth * p.athenaPerTB.usd, `${e.athenaTBScannedPerMonth} TB scanned (GZIP bytes) × $${p.athenaPerTB.usd}`);
  // The shared spool (sharedSpool, on by default): every syslog and config event is appended once;
  // read back only on replay and adoption, which this leaves out.
  const spoolGB = ['syslog', 'config'].reduce((n, name) => n + (groups[name].events * (groups[name].bytes + e.spoolFrameOverheadBytes)) / GB, 0);
  const spoolMiBps = (spoolGB * 1024) / (MONTH_DAYS * DAY_S);
  add(
    'EFS spool writes (Elastic throughput)',
    spoolGB * p.efsElasticWritePerGB.usd,
    `${fmt(spoolGB)} GB written (syslog and config events + ${e.spoolFrameOverheadBytes} B each) × $${p.efsElasticWritePerGB.usd}; ${fmt(spoolMiBps)} MiB/s on average (sharedSpool.provisionedMiBps bills per MiB/s-month instead)`,
  );
  const vcpu = e.tasks.reduce((n, t) => n + t.count * t.vcpu, 0);
  const mem = e.tasks.reduce((n, t) => n + t.count * t.gb, 0);
  add('Fargate', HOURS * (vcpu * p.fargateVcpuHour.usd + mem * p.fargateGBHour.usd), `${fmt(vcpu)} vCPU + ${fmt(mem)} GB running all month`);
  // NLB: processed bytes dominate (1 NLCU = 1 GB/hour); syslog traffic is the raw line, not the JSON event.
  const nlbGBPerHour = (e.routers * e.syslogPerSecond * 3600 * 200) / GB;
  add(
    'Network Load Balancer',
    HOURS * (p.nlbHour.usd + Math.max(1, nlbGBPerHour) * p.nlcuHour.usd),
    `1 NLB + ${fmt(nlbGBPerHour)} NLCU (syslog lines of ~200 B in)`,
  );
  add(
    'CloudWatch metrics and alarms',
    e.customMetrics * p.metricMonth.usd + (e.alarms + 3 * e.anomalyAlarms) * p.alarmMonth.usd,
    `${e.customMetrics} custom metrics, ${e.alarms} alarms, ${e.anomalyAlarms} anomaly alarms`,
  );
  return { lines, total: lines.reduce((n, l) => n + l.usd, 0), ingestGB, rawGB, compressedGB, firehoseGB };
}

const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));

export function table(result, estate = referenceEstate) {
  const rows = result.lines.map((l) => `| ${l.line} | ${fmt(l.usd)} | ${l.how} |`);
  return [
    `Estate: ${estate.routers} routers × ${estate.syslogPerSecond} syslog messages/s (${estate.syslogBytes} B/event), ${estate.configUploadsPerDay} config uploads/day, ${estate.imagesScannedPerDay} images scanned/day. Prices: AWS list, ${prices.region}, ${prices.date}.`,
    '',
    '| line | $/month | how |',
    '|---|---:|---|',
    ...rows,
    `| **total** | **${fmt(result.total)}** | |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const estate = { ...referenceEstate };
  const flags = {
    '--syslog-bytes': 'syslogBytes',
    '--routers': 'routers',
    '--syslog-per-second': 'syslogPerSecond',
    '--config-per-day': 'configUploadsPerDay',
    '--images-per-day': 'imagesScannedPerDay',
    '--gzip-ratio': 'gzipRatio',
  };
  for (let i = 0; i < args.length; i++) {
    const key = flags[args[i]];
    if (key !== undefined) estate[key] = Number(args[++i]);
    else if (args[i] !== '--json') {
      process.stderr.write(`unknown option ${args[i]} (${Object.keys(flags).join(', ')}, --json)\n`);
      process.exit(2);
    }
  }
  const result = costModel(estate);
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(result, null, 2)}\n` : `${table(result, estate)}\n`);
}
