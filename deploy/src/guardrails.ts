import { Duration, Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { NetsidecarAlarms } from './alarms.js';
import { deliveryStreamName } from './archive.js';
import type { DeployConfig } from './config.js';
import { cap } from './logging.js';
import { filterMetrics, filterNamespace } from './metrics.js';
import { serviceNames, type ServiceName } from './services.js';

export interface GuardrailsProps {
  config: Readonly<DeployConfig>;
  alarms: NetsidecarAlarms;
  key: kms.Key;
  clusterName: string;
  services: ReadonlyMap<string, ecs.FargateService>;
  eventGroups: Record<ServiceName, logs.ILogGroup>;
}

const GiB = 1024 ** 3;
const fiveMinutes = Duration.minutes(5);

/** The share of the autoscaling maximum at which running tasks warn; at the maximum itself they page. */
export const taskWarningShare = 0.7;

export const budgetName = 'netsidecar-monthly';

/**
 * Cost and capacity guardrails: they warn before a bill or a task cap surprises the team. All of
 * them notify the alarm topic (and `alarms.topicArn`), as every other alarm does.
 */
export class CostGuardrails extends Construct {
  readonly budget: budgets.CfnBudget | undefined;

  constructor(scope: Construct, id: string, props: GuardrailsProps) {
    super(scope, id);
    const { config, alarms } = props;

    // CloudWatch Logs ingestion is the largest line of the cost model (README): each event group
    // alarms when a day brings more than its configured volume.
    for (const service of serviceNames) {
      const group = props.eventGroups[service];
      const limit = config.costs.dailyIngestGiB[service];
      alarms.alarm(
        `${cap(service)}DailyIngest`,
        new cloudwatch.Metric({
          namespace: 'AWS/Logs',
          metricName: 'IncomingBytes',
          dimensionsMap: { LogGroupName: group.logGroupName },
          statistic: 'Sum',
          period: Duration.days(1),
        }),
        {
          threshold: limit * GiB,
          description: `${group.logGroupName} took in more than ${limit} GiB in a day (costs.dailyIngestGiB.${service}): check the cost model and the chattiest devices`,
        },
      );
    }

    // A chatty device (a loop, a debug level left on, an attack): its own volume far above its own
    // usual rate, learnt by CloudWatch anomaly detection, for each monitored device.
    for (const host of config.alarms.monitoredDevices) {
      alarms.register(
        new cloudwatch.AnomalyDetectionAlarm(this, `Chatty${host.replace(/[^A-Za-z0-9]/g, '')}`, {
          alarmName: `netsidecar-Chatty${host.replace(/[^A-Za-z0-9]/g, '')}`,
          alarmDescription: `${host} sends far more syslog than it usually does (above the ${config.alarms.volumeAnomalyStdDevs}-standard-deviation band for 15 minutes)`,
          metric: new cloudwatch.Metric({
            namespace: filterNamespace,
            metricName: filterMetrics.syslogByHost,
            dimensionsMap: { host },
            statistic: 'Sum',
            period: fiveMinutes,
          }),
          stdDevs: config.alarms.volumeAnomalyStdDevs,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, // silence has its own alarm
        }),
      );
    }

    // Capacity: running tasks against the autoscaling maximum (Container Insights), for 15 minutes
    // so that a rolling deployment's extra tasks do not page.
    for (const service of serviceNames) {
      const ecsService = props.services.get(service);
      if (ecsService === undefined) continue;
      const max = config.services[service].maxCount;
      const running = new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensionsMap: { ClusterName: props.clusterName, ServiceName: ecsService.serviceName },
        statistic: 'Maximum',
        period: fiveMinutes,
      });
      alarms.alarm(`${cap(service)}Tasks70`, running, {
        threshold: taskWarningShare * max,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `${ecsService.serviceName}: running tasks at 70 % of the autoscaling maximum (${max}) for 15 minutes: raise services.${service}.maxCount before it caps`,
      });
      alarms.alarm(`${cap(service)}TasksMax`, running, {
        threshold: max,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `${ecsService.serviceName}: running tasks at the autoscaling maximum (${max}) for 15 minutes: the service cannot scale further`,
      });
    }

    // The archive: a subscription that cannot deliver, or a delivery stream falling behind.
    for (const service of serviceNames) {
      const group = props.eventGroups[service];
      alarms.alarm(
        `${cap(service)}ArchiveDeliveryErrors`,
        new cloudwatch.Metric({
          namespace: 'AWS/Logs',
          metricName: 'DeliveryErrors',
          dimensionsMap: { LogGroupName: group.logGroupName },
          statistic: 'Sum',
          period: fiveMinutes,
        }),
        {
          threshold: 0,
          evaluationPeriods: 3, // CloudWatch Logs retries for 24 hours: page when it lasts
          description: `${group.logGroupName}: the subscription cannot deliver to the archive for 15 minutes (CloudWatch Logs retries for 24 h, then drops)`,
        },
      );
      alarms.alarm(
        `${cap(service)}ArchiveStale`,
        new cloudwatch.Metric({
          namespace: 'AWS/Firehose',
          metricName: 'DeliveryToS3.DataFreshness',
          dimensionsMap: { DeliveryStreamName: deliveryStreamName(service) },
          statistic: 'Maximum',
          period: fiveMinutes,
        }),
        {
          threshold: config.archive.bufferSeconds + 900,
          evaluationPeriods: 3,
          description: `${deliveryStreamName(service)}: the oldest record waits more than the buffer plus 15 minutes to reach S3 (${archiveLagHint})`,
        },
      );
    }

    this.budget = config.costs.budget === null ? undefined : this.monthlyBudget(props);
  }

  /** AWS Budgets on the stack's cost-allocation tag: 80 % and 100 % of actual spend, 100 % forecast. */
  private monthlyBudget(props: GuardrailsProps): budgets.CfnBudget {
    const { config, alarms, key } = props;
    const budget = config.costs.budget!;
    const stack = Stack.of(this);
    // Budgets publishes to the (KMS-encrypted) alarm topic as budgets.amazonaws.com.
    alarms.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BudgetsPublish',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarms.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BudgetsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, `*` is this key
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    const subscribers = [
      { subscriptionType: 'SNS', address: alarms.topic.topicArn },
      ...(budget.email === null ? [] : [{ subscriptionType: 'EMAIL', address: budget.email }]),
    ];
    const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers,
    });
    const { key: tagKey, value: tagValue } = config.costs.tag;
    return new budgets.CfnBudget(this, 'MonthlyBudget', {
      budget: {
        budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: budget.monthlyUsd, unit: 'USD' },
        // A user-defined cost-allocation tag is `user:<key>`; Budgets filters on `user:<key>$<value>`.
        costFilters: { TagKeyValue: [`user:${tagKey}$${tagValue}`] },
      },
      notificationsWithSubscribers: [notify('ACTUAL', 80), notify('ACTUAL', 100), notify('FORECASTED', 100)],
    });
  }
}

const archiveLagHint = 'Firehose retries S3 for 24 hours; check DeliveryToS3 errors in /netsidecar/ops/archive';
