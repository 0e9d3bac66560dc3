import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ComplianceRulesError, maxInlineRulesBytes, parseComplianceRules } from '@netsidecar/config-upload/compliance-rules';
import { serviceNames, type ServiceName } from './services.js';

/**
 * The deployment's inputs: a JSON file (or the `netsidecar` context object), validated once into a
 * frozen object. Everything is imported by ID, never looked up, so `cdk synth` needs no credentials.
 * Unknown keys are refused (a typo must not silently fall back to a default); every error names the
 * key path. README.md lists every input.
 */
export interface SubnetInput {
  id: string;
  availabilityZone: string;
  /** A fixed private IPv4 address for the NLB in this subnet: what routers are configured with. */
  nlbAddress: string | null;
}

export interface ServiceSizing {
  desiredCount: number;
  maxCount: number;
  cpu: number;
  memoryMiB: number;
}

/** Intended configs under an S3 prefix (a copy of the team's Git repository): NETSIDECAR_UPLOAD_INTENDED_S3. */
export interface IntendedConfigsInput {
  bucketName: string;
  /** Key prefix, ending in `/` (added if missing, as the service does), or empty for the whole bucket. */
  prefix: string;
  /** The KMS key of the bucket when it is SSE-KMS with a customer-managed key: adds kms:Decrypt on it. */
  kmsKeyArn: string | null;
}

/**
 * The config upload's compliance rules, read from a local file at synth time, checked with the
 * service's own schema and compiler, and shipped inline in NETSIDECAR_UPLOAD_COMPLIANCE_RULES.
 */
export interface ComplianceRulesInput {
  /** The file as resolved (for messages). */
  file: string;
  /** The file's text exactly: the service's `rulesSha256` is its SHA-256, the same as of the file in Git. */
  text: string;
  sha256: string;
  rules: number;
}

/** Config change notices (services/config-upload README, "Change notices"). */
export interface ChangeNoticesInput {
  /** Post each change to the stack's alarm topic (NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN). */
  sns: boolean;
  snsDevices: string[];
  /** A Secrets Manager secret whose value is the Slack webhook URL (a file secret of the task); null: no Slack. */
  slackWebhook: string | null;
  slackDevices: string[];
}

/** An EKS cluster the scan planner inventories (NETSIDECAR_SCAN_EKS_CLUSTERS). */
export interface EksClusterInput {
  /** The EKS cluster name: the token's `x-k8s-aws-id` and the CA file's name. */
  name: string;
  /** The API server endpoint, `https://...` as DescribeCluster gives it. */
  endpoint: string;
  /** `certificateAuthority.data` of DescribeCluster: base64 of the PEM. Public, not a secret. */
  certificateAuthority: string;
}

/** The write-once archive of the event log groups (S3 through Firehose; README "Archive"). */
export interface ArchiveInput {
  /** Object Lock retention in compliance mode, days: no one (root included) may delete or overwrite a version before. */
  retentionDays: number;
  /** Age (days) at which objects move to `coldStorageClass`. */
  coldAfterDays: number;
  /** GLACIER_IR (Glacier Instant Retrieval: Athena and the audit CLI read it directly) or STANDARD_IA. */
  coldStorageClass: 'GLACIER_IR' | 'STANDARD_IA';
  /** Age (days) at which objects expire (a delete marker, then the version once unlocked); null = kept forever. */
  expireAfterDays: number | null;
  /** Firehose buffering interval: how far the archive may lag CloudWatch Logs. */
  bufferSeconds: number;
  /** Athena workgroup cut-off per query (BytesScannedCutoffPerQuery), GiB. */
  athenaScanLimitGiB: number;
}

/**
 * The CloudWatch spools of syslog and config-upload on a shared EFS volume (README "Shared spool"):
 * what a replaced task could not deliver is adopted by a running task. Off, a replaced task loses
 * whatever its drain did not deliver.
 */
export interface SharedSpoolInput {
  enabled: boolean;
  /** Provisioned throughput, MiB/s; null = Elastic throughput (billed per GB read and written). */
  provisionedMiBps: number | null;
}

/** Cost and capacity guardrails (README "Cost guardrails"). */
export interface CostsInput {
  /** The cost-allocation tag put on every resource of the stack (activate it in Billing to filter on it). */
  tag: { key: string; value: string };
  /** An AWS Budgets monthly cost budget on that tag; null = no budget. */
  budget: { monthlyUsd: number; email: string | null } | null;
  /** CloudWatch Logs ingestion per day above which each event log group alarms (IncomingBytes), GiB. */
  dailyIngestGiB: Record<ServiceName, number>;
}

export interface DeployConfig {
  account: string;
  region: string;
  stackName: string;
  vpcId: string;
  subnets: SubnetInput[];
  /** The Direct Connect side: the only sources admitted. */
  onPremisesCidrs: string[];
  /** ACM certificate for the config upload's TLS 443 listener; no TLS listener without it. */
  certificateArn: string | null;
  images: { repositoryPrefix: string; tags: Record<ServiceName, string> };
  secrets: {
    /** Upload credentials (config-upload), a Secrets Manager secret name. */
    uploadCredentials: string;
    /** The HMAC key that redaction uses to keep secrets comparable without keeping them. */
    redactionKey: string;
    /** chrony-format NTP keys file content; null = NTP without authentication. */
    ntpKeys: string | null;
    /** A secret with JSON keys `certificate` and `privateKey` (PEM): enables syslog TLS on 6514. */
    syslogTls: string | null;
    /** Slack incoming webhook URL for new CRITICAL/HIGH findings. */
    slackWebhook: string;
  };
  alarms: {
    email: string | null;
    /** An existing SNS topic to notify as well (e.g. the on-call pager). */
    topicArn: string | null;
    /** Router host names (syslog `host`) that must never stay silent for `silentDeviceMinutes`. */
    monitoredDevices: string[];
    silentDeviceMinutes: number;
    droppedPer5Min: number;
    unparsedPer5Min: number;
    spoolBytes: number;
    /** Width (standard deviations) of the anomaly band a monitored device's syslog volume alarms above. */
    volumeAnomalyStdDevs: number;
  };
  /** Direct Connect BGP neighbour addresses, for the BGP saved query. */
  directConnectBgpPeers: string[];
  logRetentionDays: number;
  /** NETSIDECAR_SHUTDOWN_DEADLINE; the task's stopTimeout is this plus `stopTimeoutMarginSeconds`. */
  shutdownDeadlineSeconds: number;
  ntpRequireAuth: boolean;
  /** EventBridge Scheduler expression for the scan planning runs. */
  scanSchedule: string;
  /** The Trivy server sidecar image of the scan worker. */
  trivyImage: string;
  /** ECR repositories the scan worker may pull to scan; empty = every repository of the account. */
  scanRepositoryArns: string[];
  /** Drift against Git for the config upload; null = no intended configs (drift stays null). */
  intendedConfigs: IntendedConfigsInput | null;
  /** Config change notices; null = none. */
  changeNotices: ChangeNoticesInput | null;
  /** Compliance rules for the config upload (`complianceRulesFile`); null = no compliance check. */
  complianceRules: ComplianceRulesInput | null;
  /** EKS clusters the scan planner inventories besides the netsidecar ECS cluster. */
  eksClusters: EksClusterInput[];
  services: Record<ServiceName, ServiceSizing>;
  sharedSpool: SharedSpoolInput;
  archive: ArchiveInput;
  costs: CostsInput;
}

export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid netsidecar deploy config:\n  - ${problems.join('\n  - ')}`);
  }
}

/** CloudWatch Logs' allowed retention values from 400 days (13 months, PCI DSS 10.5.1 asks for 12) up. */
export const allowedRetentionDays = [400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** The drain's hard stop is deadline + 2 s (packages/runtime/src/shutdown.ts); ECS SIGKILLs at stopTimeout. */
export const stopTimeoutMarginSeconds = 5;
const fargateMaxStopTimeoutSeconds = 120;

/**
 * Trivy's official image on ECR Public (no Docker Hub rate limits), pinned by digest: a tag can be
 * re-pointed, as Trivy's were in March 2026 (v0.69.4 and the 0.69.5/0.69.6 images were malicious).
 * The same reference as services/scan-scheduler/Dockerfile's TRIVY_IMAGE (deploy/test/trivy-pin.test.ts).
 */
export const defaultTrivyImage = 'public.ecr.aws/aquasecurity/trivy:0.69.3@sha256:bcc376de8d77cfe086a917230e818dc9f8528e3c852f7b1aff648949b6258d1c';

/** Trivy releases known to have been compromised (March 2026): never the default, refused as trivyImage. */
export const compromisedTrivyVersions = ['0.69.4', '0.69.5', '0.69.6'] as const;

const defaultSizing: Record<ServiceName, ServiceSizing> = {
  syslog: { desiredCount: 2, maxCount: 6, cpu: 1024, memoryMiB: 2048 },
  ntp: { desiredCount: 2, maxCount: 4, cpu: 256, memoryMiB: 512 },
  config: { desiredCount: 2, maxCount: 4, cpu: 512, memoryMiB: 1024 },
  scan: { desiredCount: 2, maxCount: 4, cpu: 512, memoryMiB: 2048 }, // worker + Trivy server (scan-scheduler README)
};

type Raw = Record<string, unknown>;

class Reader {
  readonly problems: string[] = [];

  object(value: unknown, path: string, allowed: readonly string[]): Raw {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problems.push(`${path}: expected an object`);
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problems.push(`${path}.${key}: unknown key (known: ${allowed.join(', ')})`);
    }
    return value as Raw;
  }

  string(obj: Raw, key: string, path: string, pattern: RegExp, hint: string, fallback?: string): string {
    const value = obj[key] ?? fallback;
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problems.push(`${path}.${key}: expected ${hint}, got ${describe(value)}`);
      return '';
    }
    return value;
  }

  optionalString(obj: Raw, key: string, path: string, pattern: RegExp, hint: string): string | null {
    if (obj[key] === undefined || obj[key] === null) return null;
    return this.string(obj, key, path, pattern, hint);
  }

  number(obj: Raw, key: string, path: string, min: number, max: number, fallback: number): number {
    const value = obj[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${path}.${key}: expected an integer from ${min} to ${max}, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  boolean(obj: Raw, key: string, path: string, fallback: boolean): boolean {
    const value = obj[key] ?? fallback;
    if (typeof value !== 'boolean') {
      this.problems.push(`${path}.${key}: expected true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  array(obj: Raw, key: string, path: string, minLength: number, fallback?: unknown[]): unknown[] {
    const value = obj[key] ?? fallback;
    if (!Array.isArray(value) || value.length < minLength) {
      this.problems.push(`${path}.${key}: expected a list of at least ${minLength}, got ${describe(value)}`);
      return [];
    }
    return value;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const ids = {
  account: /^\d{12}$/,
  region: /^[a-z]{2}(-gov)?-[a-z]+-\d$/,
  stackName: /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
  vpc: /^vpc-[0-9a-f]{8,17}$/,
  subnet: /^subnet-[0-9a-f]{8,17}$/,
  az: /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/,
  acm: /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
  sns: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
  // Secrets Manager names: letters, digits and /_+=.@- (a name, not an ARN: imported without lookup).
  secretName: /^[A-Za-z0-9/_+=.@-]{1,512}$/,
  repositoryPrefix: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
  imageTag: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  hostName: /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/,
  // An image pinned by digest, with or without the tag it was taken from.
  pinnedImage: /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_.-]+)?@sha256:[0-9a-f]{64}$/,
  ecrRepository: /^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/[a-z0-9._/*-]+$/,
  // S3 bucket names (as the config-upload service's s3:// parser takes them).
  bucket: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  // Key prefixes without IAM wildcards (`*`, `?`) or `$`: the prefix becomes a policy resource.
  keyPrefix: /^[A-Za-z0-9!_.'()/-]*$/,
  kmsKey: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})$/,
  // EKS cluster names (and the scan scheduler's NETSIDECAR_SCAN_EKS_CLUSTERS names).
  eksName: /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/,
  eksEndpoint: /^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/?$/,
  schedule: /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^)]+\))$/,
};

/** IPv4 or IPv6 CIDR; `0.0.0.0/0` and `::/0` are refused (the NLB would admit everyone). */
export function isCidr(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) >= 1 && Number(v4[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  return v6 !== null && v6[1]!.includes(':') && Number(v6[2]) >= 1 && Number(v6[2]) <= 128;
}

export function isIpv4(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/**
 * `baseDir`: what relative file inputs (`complianceRulesFile`) are read from: the directory of the
 * config file, else the working directory (deploy/ when run with `npx cdk`).
 */
export function parseDeployConfig(input: unknown, options: { baseDir?: string } = {}): Readonly<DeployConfig> {
  const r = new Reader();
  const top = r.object(input, 'config', [
    'account',
    'region',
    'stackName',
    'vpcId',
    'subnets',
    'onPremisesCidrs',
    'certificateArn',
    'images',
    'secrets',
    'alarms',
    'directConnectBgpPeers',
    'logRetentionDays',
    'shutdownDeadlineSeconds',
    'ntpRequireAuth',
    'scanSchedule',
    'trivyImage',
    'scanRepositoryArns',
    'intendedConfigs',
    'complianceRulesFile',
    'changeNotices',
    'eksClusters',
    'services',
    'sharedSpool',
    'archive',
    'costs',
  ]);

  const subnets = r.array(top, 'subnets', 'config', 2).map((raw, i): SubnetInput => {
    const path = `config.subnets[${i}]`;
    const s = r.object(raw, path, ['id', 'availabilityZone', 'nlbAddress']);
    const nlbAddress = r.optionalString(s, 'nlbAddress', path, /^[\d.]+$/, 'an IPv4 address inside the subnet');
    if (nlbAddress !== null && !isIpv4(nlbAddress)) r.problems.push(`${path}.nlbAddress: not an IPv4 address: ${nlbAddress}`);
    return {
      id: r.string(s, 'id', path, ids.subnet, 'a subnet ID (subnet-...)'),
      availabilityZone: r.string(s, 'availabilityZone', path, ids.az, 'an availability zone name (e.g. ap-northeast-1a)'),
      nlbAddress,
    };
  });
  const zones = new Set(subnets.map((s) => s.availabilityZone));
  if (subnets.length >= 2 && zones.size < 2) {
    r.problems.push('config.subnets: the NLB and the services need subnets in at least two availability zones');
  } else if (zones.size !== subnets.length) {
    r.problems.push('config.subnets: one subnet per availability zone (an NLB takes one subnet per zone)');
  }
  const withAddress = subnets.filter((s) => s.nlbAddress !== null).length;
  if (withAddress !== 0 && withAddress !== subnets.length) {
    r.problems.push('config.subnets: give nlbAddress for every subnet or for none');
  }

  const onPremisesCidrs = r.array(top, 'onPremisesCidrs', 'config', 1).map((raw, i) => {
    if (typeof raw !== 'string' || !isCidr(raw))
      r.problems.push(`config.onPremisesCidrs[${i}]: expected an IPv4 or IPv6 CIDR other than 0.0.0.0/0, got ${describe(raw)}`);
    return String(raw);
  });

  const images = r.object(top.images, 'config.images', ['repositoryPrefix', 'tag', 'tags']);
  const defaultTag = r.optionalString(images, 'tag', 'config.images', ids.imageTag, 'an image tag');
  const tagsRaw = images.tags === undefined ? {} : r.object(images.tags, 'config.images.tags', serviceNames);
  const tags = Object.fromEntries(
    serviceNames.map((name) => {
      const tag = (tagsRaw[name] as string | undefined) ?? defaultTag;
      if (typeof tag !== 'string' || !ids.imageTag.test(tag)) {
        r.problems.push(`config.images.tags.${name}: expected an image tag (or config.images.tag for all), got ${describe(tag)}`);
        return [name, ''];
      }
      return [name, tag];
    }),
  ) as Record<ServiceName, string>;

  const secretsRaw = r.object(top.secrets, 'config.secrets', ['uploadCredentials', 'redactionKey', 'ntpKeys', 'syslogTls', 'slackWebhook']);
  const secretHint = 'a Secrets Manager secret name';
  const alarmsRaw =
    top.alarms === undefined
      ? {}
      : r.object(top.alarms, 'config.alarms', [
          'email',
          'topicArn',
          'monitoredDevices',
          'silentDeviceMinutes',
          'droppedPer5Min',
          'unparsedPer5Min',
          'spoolBytes',
          'volumeAnomalyStdDevs',
        ]);
  const monitoredDevices = r.array(alarmsRaw, 'monitoredDevices', 'config.alarms', 0, []).map((raw, i) => {
    if (typeof raw !== 'string' || !ids.hostName.test(raw))
      r.problems.push(`config.alarms.monitoredDevices[${i}]: expected a syslog host name, got ${describe(raw)}`);
    return String(raw);
  });
  const alarms: DeployConfig['alarms'] = {
    email: r.optionalString(alarmsRaw, 'email', 'config.alarms', ids.email, 'an e-mail address'),
    topicArn: r.optionalString(alarmsRaw, 'topicArn', 'config.alarms', ids.sns, 'an SNS topic ARN'),
    monitoredDevices,
    silentDeviceMinutes: r.number(alarmsRaw, 'silentDeviceMinutes', 'config.alarms', 5, 1440, 60),
    droppedPer5Min: r.number(alarmsRaw, 'droppedPer5Min', 'config.alarms', 0, 1e9, 0),
    unparsedPer5Min: r.number(alarmsRaw, 'unparsedPer5Min', 'config.alarms', 0, 1e9, 100),
    spoolBytes: r.number(alarmsRaw, 'spoolBytes', 'config.alarms', 1024 * 1024, 2 ** 40, 256 * 1024 * 1024),
    volumeAnomalyStdDevs: r.number(alarmsRaw, 'volumeAnomalyStdDevs', 'config.alarms', 2, 20, 4),
  };
  if (alarms.email === null && alarms.topicArn === null) {
    r.problems.push('config.alarms: give email or topicArn (or both): alarms must reach someone');
  }

  const directConnectBgpPeers = r.array(top, 'directConnectBgpPeers', 'config', 0, []).map((raw, i) => {
    if (typeof raw !== 'string' || !(isIpv4(raw) || /^[0-9a-fA-F:]+$/.test(raw))) {
      r.problems.push(`config.directConnectBgpPeers[${i}]: expected an IP address, got ${describe(raw)}`);
    }
    return String(raw);
  });

  const logRetentionDays = r.number(top, 'logRetentionDays', 'config', 400, 3653, 400);
  if (!(allowedRetentionDays as readonly number[]).includes(logRetentionDays)) {
    r.problems.push(`config.logRetentionDays: CloudWatch accepts ${allowedRetentionDays.join(', ')} (400 days at least: PCI DSS 10.5.1)`);
  }

  const servicesRaw = top.services === undefined ? {} : r.object(top.services, 'config.services', serviceNames);
  const services = Object.fromEntries(
    serviceNames.map((name) => {
      const path = `config.services.${name}`;
      const raw = servicesRaw[name] === undefined ? {} : r.object(servicesRaw[name], path, ['desiredCount', 'maxCount', 'cpu', 'memoryMiB']);
      const d = defaultSizing[name];
      const sizing: ServiceSizing = {
        desiredCount: r.number(raw, 'desiredCount', path, 2, 100, d.desiredCount), // two at least: one per AZ
        maxCount: r.number(raw, 'maxCount', path, 2, 200, d.maxCount),
        cpu: r.number(raw, 'cpu', path, 256, 16384, d.cpu),
        memoryMiB: r.number(raw, 'memoryMiB', path, 512, 122880, d.memoryMiB),
      };
      if (sizing.maxCount < sizing.desiredCount) r.problems.push(`${path}.maxCount: must be at least desiredCount (${sizing.desiredCount})`);
      if (![256, 512, 1024, 2048, 4096, 8192, 16384].includes(sizing.cpu))
        r.problems.push(`${path}.cpu: Fargate CPU units are 256, 512, 1024, 2048, 4096, 8192 or 16384`);
      return [name, sizing];
    }),
  ) as Record<ServiceName, ServiceSizing>;

  const config: DeployConfig = {
    account: r.string(top, 'account', 'config', ids.account, 'a 12-digit AWS account ID'),
    region: r.string(top, 'region', 'config', ids.region, 'an AWS region (e.g. ap-northeast-1)'),
    stackName: r.string(top, 'stackName', 'config', ids.stackName, 'a CloudFormation stack name', 'Netsidecar'),
    vpcId: r.string(top, 'vpcId', 'config', ids.vpc, 'a VPC ID (vpc-...)'),
    subnets,
    onPremisesCidrs,
    certificateArn: r.optionalString(top, 'certificateArn', 'config', ids.acm, 'an ACM certificate ARN'),
    images: { repositoryPrefix: r.string(images, 'repositoryPrefix', 'config.images', ids.repositoryPrefix, 'an ECR repository prefix', 'netsidecar'), tags },
    secrets: {
      uploadCredentials: r.string(secretsRaw, 'uploadCredentials', 'config.secrets', ids.secretName, secretHint),
      redactionKey: r.string(secretsRaw, 'redactionKey', 'config.secrets', ids.secretName, secretHint),
      ntpKeys: r.optionalString(secretsRaw, 'ntpKeys', 'config.secrets', ids.secretName, secretHint),
      syslogTls: r.optionalString(secretsRaw, 'syslogTls', 'config.secrets', ids.secretName, secretHint),
      slackWebhook: r.string(secretsRaw, 'slackWebhook', 'config.secrets', ids.secretName, secretHint),
    },
    alarms,
    directConnectBgpPeers,
    logRetentionDays,
    shutdownDeadlineSeconds: r.number(top, 'shutdownDeadlineSeconds', 'config', 5, fargateMaxStopTimeoutSeconds - stopTimeoutMarginSeconds, 90),
    ntpRequireAuth: r.boolean(top, 'ntpRequireAuth', 'config', false),
    scanSchedule: r.string(top, 'scanSchedule', 'config', ids.schedule, 'rate(...) or cron(...)', 'rate(1 hour)'),
    trivyImage: r.string(
      top,
      'trivyImage',
      'config',
      ids.pinnedImage,
      'an image reference pinned by digest (<registry>/<repository>[:<tag>]@sha256:<64 hex digits>)',
      defaultTrivyImage,
    ),
    scanRepositoryArns: r.array(top, 'scanRepositoryArns', 'config', 0, []).map((raw, i) => {
      if (typeof raw !== 'string' || !ids.ecrRepository.test(raw))
        r.problems.push(`config.scanRepositoryArns[${i}]: expected an ECR repository ARN, got ${describe(raw)}`);
      return String(raw);
    }),
    intendedConfigs: parseIntendedConfigs(r, top.intendedConfigs),
    changeNotices: parseChangeNotices(r, top.changeNotices),
    complianceRules: parseComplianceRulesFile(r, top.complianceRulesFile, options.baseDir ?? process.cwd()),
    eksClusters: parseEksClusters(r, top),
    services,
    sharedSpool: parseSharedSpool(r, top.sharedSpool),
    archive: parseArchive(r, top.archive),
    costs: parseCosts(r, top.costs, typeof top.stackName === 'string' ? top.stackName : 'Netsidecar'),
  };
  if (config.ntpRequireAuth && config.secrets.ntpKeys === null) {
    r.problems.push('config.ntpRequireAuth: needs config.secrets.ntpKeys (the keys routers authenticate with)');
  }
  if (config.certificateArn !== null && config.region && !config.certificateArn.includes(`:${config.region}:`)) {
    r.problems.push(`config.certificateArn: the certificate must be in the stack's region (${config.region})`);
  }
  const trivyTag = /:([^:@/]+)@/.exec(config.trivyImage)?.[1]?.replace(/^v/, '');
  if (trivyTag !== undefined && (compromisedTrivyVersions as readonly string[]).includes(trivyTag)) {
    r.problems.push(
      `config.trivyImage: Trivy ${trivyTag} is a compromised release (March 2026); use ${defaultTrivyImage.split('@')[0]} or later, pinned by digest`,
    );
  }
  if (r.problems.length > 0) throw new DeployConfigError(r.problems);
  return deepFreeze(config);
}

function parseIntendedConfigs(r: Reader, value: unknown): IntendedConfigsInput | null {
  if (value === undefined || value === null) return null;
  const path = 'config.intendedConfigs';
  const raw = r.object(value, path, ['bucketName', 'prefix', 'kmsKeyArn']);
  const prefix = r.string(raw, 'prefix', path, ids.keyPrefix, 'a key prefix (letters, digits, !_.\'()- and /; no * or ?), e.g. "intended/"', '');
  if (prefix.startsWith('/') || prefix.includes('//'))
    r.problems.push(`${path}.prefix: no leading "/" and no empty segment ("//"): S3 keys as the service builds them`);
  return {
    bucketName: r.string(raw, 'bucketName', path, ids.bucket, 'an S3 bucket name'),
    // The service adds the trailing slash too (parseS3Url): the policy must grant what it reads.
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    kmsKeyArn: r.optionalString(raw, 'kmsKeyArn', path, ids.kmsKey, 'a KMS key ARN'),
  };
}

/** EFS provisioned throughput bounds (the upper one depends on the region). */
const maxProvisionedMiBps = 3414;

function parseSharedSpool(r: Reader, value: unknown): SharedSpoolInput {
  const path = 'config.sharedSpool';
  const raw = value === undefined ? {} : r.object(value, path, ['enabled', 'provisionedMiBps']);
  const provisioned = raw['provisionedMiBps'];
  return {
    enabled: r.boolean(raw, 'enabled', path, true),
    provisionedMiBps: provisioned === undefined || provisioned === null ? null : r.number(raw, 'provisionedMiBps', path, 1, maxProvisionedMiBps, 1),
  };
}

function parseChangeNotices(r: Reader, value: unknown): ChangeNoticesInput | null {
  if (value === undefined || value === null) return null;
  const path = 'config.changeNotices';
  const raw = r.object(value, path, ['sns', 'snsDevices', 'slackWebhook', 'slackDevices']);
  const globs = (key: string) =>
    r.array(raw, key, path, 1, ['*']).map((glob, i) => {
      if (typeof glob !== 'string' || !/^[A-Za-z0-9._*?-]+$/.test(glob))
        r.problems.push(`${path}.${key}[${i}]: expected a device glob (letters, digits, . _ - * ?), got ${describe(glob)}`);
      return String(glob);
    });
  const notices = {
    sns: r.boolean(raw, 'sns', path, false),
    snsDevices: globs('snsDevices'),
    slackWebhook: r.optionalString(raw, 'slackWebhook', path, ids.secretName, 'a Secrets Manager secret name (its value: the webhook URL)'),
    slackDevices: globs('slackDevices'),
  };
  if (!notices.sns && notices.slackWebhook === null) r.problems.push(`${path}: set sns to true or give slackWebhook (or leave changeNotices out)`);
  return notices;
}

/**
 * The rules file, checked as the service checks it at start (same schema, same compiler): a bad file
 * fails synth with one problem line naming the file, the rule and the problem, instead of a task
 * that stops at start (exit 2) in every deployment attempt.
 */
function parseComplianceRulesFile(r: Reader, value: unknown, baseDir: string): ComplianceRulesInput | null {
  if (value === undefined || value === null) return null;
  const path = 'config.complianceRulesFile';
  if (typeof value !== 'string' || value === '') {
    r.problems.push(`${path}: expected the path of a JSON rules file (services/config-upload README, "Compliance rules"), got ${describe(value)}`);
    return null;
  }
  const file = resolve(baseDir, value);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    r.problems.push(`${path}: ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return null;
  }
  if (bytes.length > maxInlineRulesBytes) {
    r.problems.push(`${path}: ${file}: ${bytes.length} bytes, at most ${maxInlineRulesBytes} (the rules travel in the task definition)`);
    return null;
  }
  try {
    const rules = parseComplianceRules(bytes);
    return { file, text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex'), rules: rules.rules.length };
  } catch (err) {
    if (!(err instanceof ComplianceRulesError)) throw err;
    r.problems.push(`${path}: ${file}: ${err.detail}`);
    return null;
  }
}

/** PCI DSS 10.5.1: a year of audit logs; compliance-mode locks cannot be shortened, so no less. */
export const minArchiveRetentionDays = 365;

function parseArchive(r: Reader, value: unknown): ArchiveInput {
  const path = 'config.archive';
  const raw =
    value === undefined
      ? {}
      : r.object(value, path, ['retentionDays', 'coldAfterDays', 'coldStorageClass', 'expireAfterDays', 'bufferSeconds', 'athenaScanLimitGiB']);
  const retentionDays = r.number(raw, 'retentionDays', path, minArchiveRetentionDays, 36_500, 400);
  const coldStorageClass = r.string(
    raw,
    'coldStorageClass',
    path,
    /^(GLACIER_IR|STANDARD_IA)$/,
    'GLACIER_IR or STANDARD_IA (classes Athena and the audit CLI read without a restore)',
    'GLACIER_IR',
  );
  const expireAfterDays =
    raw['expireAfterDays'] === undefined || raw['expireAfterDays'] === null ? null : r.number(raw, 'expireAfterDays', path, 1, 36_500, retentionDays);
  if (expireAfterDays !== null && expireAfterDays < retentionDays) {
    r.problems.push(`${path}.expireAfterDays: must be at least retentionDays (${retentionDays}): locked versions cannot expire earlier`);
  }
  return {
    retentionDays,
    // S3 moves objects to STANDARD_IA at 30 days at the earliest.
    coldAfterDays: r.number(raw, 'coldAfterDays', path, 30, 36_500, 90),
    coldStorageClass: (coldStorageClass || 'GLACIER_IR') as ArchiveInput['coldStorageClass'],
    expireAfterDays,
    // Firehose's S3 buffering interval is 0 to 900 s; below 60 s objects get small and many.
    bufferSeconds: r.number(raw, 'bufferSeconds', path, 60, 900, 900),
    athenaScanLimitGiB: r.number(raw, 'athenaScanLimitGiB', path, 1, 1_000_000, 500),
  };
}

const defaultDailyIngestGiB: Record<ServiceName, number> = { syslog: 50, ntp: 1, config: 1, scan: 1 };

function parseCosts(r: Reader, value: unknown, stackName: string): CostsInput {
  const path = 'config.costs';
  const raw = value === undefined ? {} : r.object(value, path, ['tag', 'budget', 'dailyIngestGiB']);
  const tagRaw = raw['tag'] === undefined ? {} : r.object(raw['tag'], `${path}.tag`, ['key', 'value']);
  // AWS tag rules: keys up to 128, values up to 256 characters of letters, digits, spaces and _.:/=+-@.
  const tag = {
    key: r.string(tagRaw, 'key', `${path}.tag`, /^(?!aws:)[\p{L}\p{N}\s_.:/=+@-]{1,128}$/u, 'a tag key (not aws:...)', 'netsidecar:stack'),
    value: r.string(tagRaw, 'value', `${path}.tag`, /^[\p{L}\p{N}\s_.:/=+@-]{0,256}$/u, 'a tag value', stackName),
  };
  let budget: CostsInput['budget'] = null;
  if (raw['budget'] !== undefined && raw['budget'] !== null) {
    const b = r.object(raw['budget'], `${path}.budget`, ['monthlyUsd', 'email']);
    budget = {
      monthlyUsd: r.number(b, 'monthlyUsd', `${path}.budget`, 1, 10_000_000, 0),
      email: r.optionalString(b, 'email', `${path}.budget`, ids.email, 'an e-mail address'),
    };
  }
  const dailyRaw = raw['dailyIngestGiB'] === undefined ? {} : r.object(raw['dailyIngestGiB'], `${path}.dailyIngestGiB`, serviceNames);
  const dailyIngestGiB = Object.fromEntries(
    serviceNames.map((name) => [name, r.number(dailyRaw, name, `${path}.dailyIngestGiB`, 1, 1_000_000, defaultDailyIngestGiB[name])]),
  ) as Record<ServiceName, number>;
  return { tag, budget, dailyIngestGiB };
}

/** At most this many EKS clusters: their CA certificates travel in the task definition (64 KiB). */
export const maxEksClusters = 20;

function parseEksClusters(r: Reader, top: Raw): EksClusterInput[] {
  const clusters = r.array(top, 'eksClusters', 'config', 0, []).map((raw, i): EksClusterInput => {
    const path = `config.eksClusters[${i}]`;
    const c = r.object(raw, path, ['name', 'endpoint', 'certificateAuthority']);
    const certificateAuthority = r.string(
      c,
      'certificateAuthority',
      path,
      /^[A-Za-z0-9+/\s]+={0,2}$/,
      'certificateAuthority.data of DescribeCluster (base64 PEM)',
    );
    if (certificateAuthority !== '' && !decodeCertificateAuthority(certificateAuthority).startsWith('-----BEGIN CERTIFICATE-----')) {
      r.problems.push(`${path}.certificateAuthority: does not decode to a PEM certificate (give certificateAuthority.data as DescribeCluster returns it)`);
    }
    return {
      name: r.string(c, 'name', path, ids.eksName, 'an EKS cluster name'),
      endpoint: r.string(c, 'endpoint', path, ids.eksEndpoint, 'the cluster endpoint, https://...').replace(/\/$/, ''),
      certificateAuthority,
    };
  });
  if (clusters.length > maxEksClusters) r.problems.push(`config.eksClusters: at most ${maxEksClusters} clusters`);
  const names = clusters.map((c) => c.name);
  const duplicate = names.find((name, i) => name !== '' && names.indexOf(name) !== i);
  if (duplicate !== undefined) r.problems.push(`config.eksClusters: cluster "${duplicate}" is listed twice`);
  return clusters;
}

/** DescribeCluster's `certificateAuthority.data` → the PEM text the scan scheduler reads. */
export function decodeCertificateAuthority(data: string): string {
  return Buffer.from(data.replace(/\s/g, ''), 'base64').toString('utf8');
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
