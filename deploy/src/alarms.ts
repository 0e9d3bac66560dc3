import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DeployConfig } from './config.js';
import { cap } from './logging.js';
import {
  emfMetrics,
  emfNamespace,
  filterMetrics,
  filterNamespace,
  filterPatterns,
  ntpEventLossReasons,
  scanFailureResults,
  sinkRejectReasons,
  uploadLossOutcomes,
  syslogLossReasons,
} from './metrics.js';
import { serviceNames, type ServiceName } from './services.js';

export interface AlarmsProps {
  config: Readonly<DeployConfig>;
  key: kms.IKey;
  eventGroups: Record<ServiceName, logs.ILogGroup>;
  targetGroups: Map<string, elbv2.NetworkTargetGroup>;
  scanDeadLetterQueue: sqs.IQueue;
}

const fiveMinutes = Duration.minutes(5);

/**
 * Every alarm goes to one encrypted SNS topic (e-mail and/or an existing topic). Metrics come from
 * the services' EMF documents and from metric filters on the event log groups.
 */
export class NetsidecarAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly actions: cloudwatch.IAlarmAction[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { config } = props;
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'netsidecar alarms', masterKey: props.key, enforceSSL: true });
    if (config.alarms.email !== null) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarms.email));
    this.actions = [new actions.SnsAction(this.topic)];
    if (config.alarms.topicArn !== null) this.actions.push(new actions.SnsAction(sns.Topic.fromTopicArn(this, 'ExternalTopic', config.alarms.topicArn)));

    const emf = (metricName: string, service: ServiceName, dims: Record<string, string> = {}, statistic = 'Sum', period = fiveMinutes) =>
      new cloudwatch.Metric({ namespace: emfNamespace, metricName, dimensionsMap: { service, ...dims }, statistic, period });
    const sumOf = (label: string, metrics: cloudwatch.IMetric[]) =>
      new cloudwatch.MathExpression({
        expression: metrics.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
        label,
        period: fiveMinutes,
      });

    // Events dropped or unparsed.
    this.alarm(
      'SyslogDropped',
      sumOf(
        'syslog messages dropped',
        syslogLossReasons.map((reason) => emf(emfMetrics.syslogDropped, 'syslog', { reason })),
      ),
      {
        threshold: config.alarms.droppedPer5Min,
        description: 'syslog messages dropped (too large, sink full, framing errors, connection limit...) in 5 minutes',
      },
    );
    this.alarm('SyslogUnparsed', emf(emfMetrics.syslogUnparsed, 'syslog'), {
      threshold: config.alarms.unparsedPer5Min,
      description: 'syslog messages no format matched (kept whole, but unsearchable by field): a new device or format?',
    });
    // UDP loss happens before the service reads a datagram: only the kernel's count shows it. The
    // gauge is cumulative per task, so the alarm reads its increase (a task restart resets it to 0,
    // a negative rate that never alarms).
    this.alarm(
      'SyslogUdpKernelDrops',
      new cloudwatch.MathExpression({
        expression: 'RATE(m0) * PERIOD(m0)',
        usingMetrics: { m0: emf(emfMetrics.syslogUdpKernelDrops, 'syslog', {}, 'Maximum') },
        label: 'UDP datagrams the kernel dropped (receive buffer full)',
        period: fiveMinutes,
      }),
      {
        threshold: config.alarms.droppedPer5Min,
        description: 'UDP syslog datagrams dropped by the kernel before a task read them (receive buffer full: add tasks or raise the buffer)',
      },
    );
    this.alarm(
      'NtpEventsDropped',
      sumOf(
        'ntp events dropped',
        ntpEventLossReasons.map((reason) => emf(emfMetrics.ntpEventsDropped, 'ntp', { reason })),
      ),
      {
        threshold: 0,
        description: 'ntp/1 events the sink refused',
      },
    );

    this.alarm(
      'ConfigUploadsRefused',
      sumOf(
        'config uploads refused (sink unavailable, busy)',
        uploadLossOutcomes.map((outcome) => emf(emfMetrics.configUploads, 'config', { outcome })),
      ),
      {
        threshold: 0,
        description: 'router configuration uploads answered 503 (sink unavailable or too busy): versions not recorded',
      },
    );
    // Failed compliance rules are counted per upload, so a router that keeps failing pages again at
    // each upload; the saved query netsidecar/config/compliance-failures says which rules and devices.
    this.alarm('ConfigComplianceFailures', emf(emfMetrics.configComplianceFailures, 'config'), {
      threshold: 0,
      description: 'a router uploaded a configuration that fails a compliance rule (query netsidecar/config/compliance-failures)',
    });
    // A router whose archive job broke goes quiet: every task checks the whole store (it sees the
    // other tasks' uploads), so the Maximum over the tasks is the count; the log names the devices.
    this.alarm('ConfigBackupsStale', emf(emfMetrics.configStaleDevices, 'config', {}, 'Maximum'), {
      threshold: 0,
      description:
        'a router has not uploaded its configuration within its expected interval (NETSIDECAR_UPLOAD_STALE_AFTER, 25 h by default): its archive job may be broken; the config-upload log names it and its last upload',
    });
    this.alarm(
      'ScansFailing',
      sumOf(
        'scans failed',
        scanFailureResults.map((result) => emf(emfMetrics.scanScans, 'scan', { result })),
      ),
      {
        threshold: 0,
        evaluationPeriods: 3, // retried through SQS: page when it lasts
        description: 'image scans failing (Trivy error or timeout, malformed report, state store) for 15 minutes',
      },
    );

    // The scan cap (NETSIDECAR_SCAN_CONCURRENCY per worker task): warn at 70 % for 15 minutes (the
    // queue is building up), and page when a task has been at the cap that long (scans wait).
    const scanLoad = emf(emfMetrics.scanRunningRatio, 'scan', {}, 'Maximum');
    this.alarm('ScanConcurrency70', scanLoad, {
      threshold: 0.7,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: 'scans running at 70 % or more of the cap for 15 minutes: add worker tasks or raise NETSIDECAR_SCAN_CONCURRENCY',
    });
    this.alarm('ScanConcurrencyFull', scanLoad, {
      threshold: 1,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: 'scans at the cap for 15 minutes: images wait in the queue to be scanned',
    });

    // Sink errors and spool growth, per service.
    for (const service of serviceNames) {
      const name = cap(service);
      this.alarm(`${name}SinkPutErrors`, emf(emfMetrics.cloudwatchCalls, service, { operation: 'PutLogEvents', outcome: 'error' }), {
        threshold: 0,
        evaluationPeriods: 3, // retried with backoff: page only when it lasts 15 minutes
        description: `${service}: PutLogEvents failing for 15 minutes (events are spooling to disk)`,
      });
      this.alarm(`${name}SinkRefused`, emf(emfMetrics.sinkEvents, service, { outcome: 'refused' }), {
        threshold: 0,
        description: `${service}: the sink refused events (memory and spool full, or closed)`,
      });
      this.alarm(
        `${name}SinkRejected`,
        sumOf(
          `${service} events rejected by CloudWatch`,
          sinkRejectReasons.map((reason) => emf(emfMetrics.sinkRejected, service, { reason })),
        ),
        {
          threshold: 0,
          description: `${service}: CloudWatch rejected events (too old, too new, expired)`,
        },
      );
      this.alarm(`${name}SpoolGrowth`, emf(emfMetrics.sinkSpoolBytes, service, {}, 'Maximum'), {
        threshold: config.alarms.spoolBytes,
        description: `${service}: the disk spool holds more than ${config.alarms.spoolBytes} bytes not yet in CloudWatch`,
      });
    }

    // Time.
    this.alarm('NtpUnsynchronised', emf(emfMetrics.ntpSynchronised, 'ntp', {}, 'Minimum', Duration.minutes(1)), {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING, // no metric = no running ntp task
      description: 'an ntp-proxy task is not synchronised to Amazon Time Sync (routers get LI=3)',
    });
    this.alarm('NtpClientClockOffset', emf(emfMetrics.ntpClientClockWarnings, 'ntp'), {
      threshold: 0,
      description: 'a router clock is off by more than 1 s (client_clock_warning events in /netsidecar/ntp)',
    });

    // Metric filters on the evidence itself.
    const filter = (id: string, group: logs.ILogGroup, pattern: string, metricName: string, dimensions?: Record<string, string>) =>
      new logs.MetricFilter(this, id, {
        logGroup: group,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: filterNamespace,
        metricName,
        metricValue: '1',
        ...(dimensions ? { dimensions } : {}),
      });
    filter('ConfigDriftFilter', props.eventGroups.config, filterPatterns.configDrifted, filterMetrics.configDrifted);
    this.alarm(
      'ConfigDrift',
      new cloudwatch.Metric({ namespace: filterNamespace, metricName: filterMetrics.configDrifted, statistic: 'Sum', period: fiveMinutes }),
      {
        threshold: 0,
        description: 'a router uploaded a configuration that differs from its intended configuration in Git',
      },
    );
    filter('ScanFindingsFilter', props.eventGroups.scan, filterPatterns.scanNewCriticalHigh, filterMetrics.scanNewCriticalHigh);
    this.alarm(
      'ScanNewCriticalHigh',
      new cloudwatch.Metric({ namespace: filterNamespace, metricName: filterMetrics.scanNewCriticalHigh, statistic: 'Sum', period: fiveMinutes }),
      {
        threshold: 0,
        description: 'new CRITICAL or HIGH findings in images running on the cluster (Slack has the details)',
      },
    );
    filter('SyslogByHostFilter', props.eventGroups.syslog, filterPatterns.syslogAll, filterMetrics.syslogByHost, { host: '$.host' });
    for (const host of config.alarms.monitoredDevices) {
      this.alarm(
        `Silent${host.replace(/[^A-Za-z0-9]/g, '')}`,
        new cloudwatch.Metric({
          namespace: filterNamespace,
          metricName: filterMetrics.syslogByHost,
          dimensionsMap: { host },
          statistic: 'Sum',
          period: Duration.minutes(config.alarms.silentDeviceMinutes),
        }),
        {
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING, // silence is the very thing to catch
          description: `${host} sent no syslog for ${config.alarms.silentDeviceMinutes} minutes`,
        },
      );
    }

    // Unhealthy targets behind the NLB.
    for (const [listenerId, targetGroup] of props.targetGroups) {
      this.alarm(`${listenerId}UnhealthyTargets`, targetGroup.metrics.unHealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }), {
        threshold: 0,
        evaluationPeriods: 3,
        description: `${listenerId}: a target is failing its /healthz check`,
      });
      this.alarm(`${listenerId}NoHealthyTargets`, targetGroup.metrics.healthyHostCount({ statistic: 'Minimum', period: Duration.minutes(1) }), {
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        description: `${listenerId}: no healthy target: routers get no service`,
      });
    }

    this.alarm('ScanDeadLetters', props.scanDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: fiveMinutes }), {
      threshold: 0,
      description: 'scan requests failed 5 times and went to the dead-letter queue',
    });
  }

  /** An alarm on `metric`, named `netsidecar-<id>`, to the topic (and `alarms.topicArn`), ALARM and OK. */
  alarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: {
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      comparisonOperator?: cloudwatch.ComparisonOperator;
      treatMissingData?: cloudwatch.TreatMissingData;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `netsidecar-${id}`,
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    return this.register(alarm);
  }

  /** An alarm made elsewhere (e.g. an anomaly detection alarm) gets the same actions. */
  register<A extends cloudwatch.Alarm>(alarm: A): A {
    for (const action of this.actions) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
    return alarm;
  }
}
