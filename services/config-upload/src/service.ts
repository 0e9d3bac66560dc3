import { statSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, type ConfigOf } from '@netsidecar/config';
import type { RunningService, ServiceContext } from '@netsidecar/runtime';
import { withIpv4Fallback } from '@netsidecar/net-address';
import { backgroundTimers, type Timers } from '@netsidecar/sink';
import { IntendedDir, noIntended, type IntendedSource } from './analyse/intended.js';
import { IntendedS3 } from './analyse/intended-s3.js';
import { Authenticator } from './auth/authenticator.js';
import { loadComplianceRules } from './compliance/rules-file.js';
import { CidrAllowlist } from './auth/cidr.js';
import { loadUsers } from './auth/users-file.js';
import type { uploadVariables } from './config.js';
import { createServer } from './http/server.js';
import { RateLimiter } from './http/rate-limiter.js';
import { createUploadMetrics } from './metrics.js';
import { UploadPipeline } from './pipeline.js';
import { loadRedactionKey } from './redact/redaction-key.js';
import { Redactor } from './redact/redactor.js';
import { Tagger } from './redact/tagger.js';
import { FileStore } from './store/file-store.js';
import { S3Store } from './store/s3-store.js';
import { StaleBackups } from './stale/stale-backups.js';
import { stalePolicy } from './stale/stale-policy.js';
import { changeNoticesFrom, type NoticeSeams } from './notify/wiring.js';
import type { ConfigStore } from './store/store.js';

export type UploadConfig = ConfigOf<typeof uploadVariables>;

/** Test seams; production uses the defaults. */
export interface UploadServiceOptions {
  /** Overrides NETSIDECAR_UPLOAD_STORE (tests pass an S3 store with a path-style client). */
  store?: ConfigStore;
  intended?: IntendedSource;
  now?: () => number;
  /** The stale backup check's and the change notices' timers (tests pass a fake clock). */
  timers?: Timers;
  /** Change notice clients (tests point them at local servers). */
  notify?: NoticeSeams;
}

export interface RunningUpload extends RunningService {
  readonly port: number;
  readonly address: string;
  readonly store: ConfigStore;
}

export async function startConfigUploadService(context: ServiceContext<UploadConfig>, options: UploadServiceOptions = {}): Promise<RunningUpload> {
  const { config, logger, registry, readiness, sink, logGroup } = context;
  const metrics = createUploadMetrics(registry);
  const users = loadUsers(config.NETSIDECAR_UPLOAD_USERS_FILE);
  if (users.size === 0) logger.warn('no principals (NETSIDECAR_UPLOAD_USERS_FILE): every upload will be refused with 401');
  const { key, origin } = loadRedactionKey(config.NETSIDECAR_UPLOAD_REDACTION_KEY_FILE, config.NETSIDECAR_DATA_DIR);
  if (origin !== 'file') logger.warn('redaction key from the data dir; set NETSIDECAR_UPLOAD_REDACTION_KEY_FILE so every task shares one', { origin });

  // Read once at start: a rules file that does not parse or validate stops the service here.
  const compliance = loadComplianceRules(config.NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE, config.NETSIDECAR_UPLOAD_COMPLIANCE_RULES);
  const store = options.store ?? createStore(config, config.NETSIDECAR_DATA_DIR);
  const intended = options.intended ?? createIntended(config);
  const now = options.now ?? Date.now;
  const timers = options.timers ?? backgroundTimers;
  const notices = await changeNoticesFrom(config, config.NETSIDECAR_DATA_DIR, { logger, metrics: metrics.notices, now, timers }, options.notify);
  await notices?.start();
  const policy = stalePolicy(config.NETSIDECAR_UPLOAD_STALE_AFTER, config.NETSIDECAR_UPLOAD_STALE_AFTER_BY_DEVICE);
  const pipeline = new UploadPipeline({
    store,
    intended,
    redactor: new Redactor(new Tagger(key)),
    compliance,
    notices,
    sink,
    logGroup,
    logger,
    metrics,
    maxBodyBytes: config.NETSIDECAR_UPLOAD_MAX_BODY,
    now,
  });
  const app = await createServer({
    pipeline,
    store,
    authenticator: new Authenticator(users, now),
    allowlist: config.NETSIDECAR_UPLOAD_ALLOWED_CIDRS ? new CidrAllowlist(config.NETSIDECAR_UPLOAD_ALLOWED_CIDRS) : null,
    rateLimiter: new RateLimiter(config.NETSIDECAR_UPLOAD_RATE_LIMIT, now),
    metrics,
    logger,
    stalePolicy: policy,
    maxBodyBytes: config.NETSIDECAR_UPLOAD_MAX_BODY,
    maxConcurrent: config.NETSIDECAR_UPLOAD_MAX_CONCURRENT,
    now,
  });
  await withIpv4Fallback(
    config.NETSIDECAR_UPLOAD_BIND_ADDRESS,
    (host) => app.listen({ host, port: config.NETSIDECAR_UPLOAD_PORT }),
    (code) => logger.warn('IPv6 is not available: listening on IPv4 only', { code }),
  );
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound ? bound.port : config.NETSIDECAR_UPLOAD_PORT;
  const address = typeof bound === 'object' && bound ? bound.address : config.NETSIDECAR_UPLOAD_BIND_ADDRESS;
  const staleBackups = new StaleBackups({
    store,
    policy,
    intervalMs: config.NETSIDECAR_UPLOAD_STALE_CHECK_INTERVAL,
    logger,
    staleDevices: (count) => metrics.staleDevices(count),
    now,
    timers,
  });
  staleBackups.start();
  let listening = true;
  readiness.add('http', () => (listening ? null : 'not listening'));
  logger.info('config upload listening', {
    address,
    port,
    store: store.kind,
    principals: users.size,
    intended: config.NETSIDECAR_UPLOAD_INTENDED_DIR ?? (config.NETSIDECAR_UPLOAD_INTENDED_S3 ? 's3' : null),
    complianceRules: compliance?.rules.length ?? null,
    complianceRulesSha256: compliance?.sha256 ?? null,
    notify: { slack: config.NETSIDECAR_UPLOAD_NOTIFY_SLACK_WEBHOOK_FILE !== null, snsTopicArn: config.NETSIDECAR_UPLOAD_NOTIFY_SNS_TOPIC_ARN },
  });

  return {
    port,
    address,
    store,
    // Stops accepting and waits for uploads in progress: each is answered only after its event is in the sink.
    stop: async () => {
      listening = false;
      // Uploads in progress finish first (their notices reach the outbox); then posting stops, and
      // what is left stays in the outbox for the next start.
      await Promise.all([app.close(), staleBackups.stop()]);
      await notices?.stop();
    },
  };
}

function createIntended(config: UploadConfig): IntendedSource {
  const dir = config.NETSIDECAR_UPLOAD_INTENDED_DIR;
  const s3 = config.NETSIDECAR_UPLOAD_INTENDED_S3;
  if (dir && s3) throw new ConfigError('NETSIDECAR_UPLOAD_INTENDED_S3', 'set it or NETSIDECAR_UPLOAD_INTENDED_DIR, not both');
  if (dir) {
    // A mistyped path would otherwise report every device as having no intended config.
    let isDir: boolean;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new ConfigError('NETSIDECAR_UPLOAD_INTENDED_DIR', `${dir} is not a readable directory`);
    return new IntendedDir(dir);
  }
  if (s3) return new IntendedS3(new S3Client({}), s3.bucket, s3.prefix);
  return noIntended;
}

function createStore(config: UploadConfig, dataDir: string): ConfigStore {
  if (config.NETSIDECAR_UPLOAD_STORE === 'file') return new FileStore(join(dataDir, 'config-upload', 'store'));
  if (!config.NETSIDECAR_UPLOAD_S3_BUCKET) throw new ConfigError('NETSIDECAR_UPLOAD_S3_BUCKET', 'required when NETSIDECAR_UPLOAD_STORE=s3');
  // Region, endpoint (AWS_ENDPOINT_URL_S3) and credentials from the standard AWS SDK environment.
  return new S3Store(new S3Client({}), config.NETSIDECAR_UPLOAD_S3_BUCKET, config.NETSIDECAR_UPLOAD_S3_PREFIX);
}
