import { createHash, randomUUID } from 'node:crypto';
import { schemaIds } from '@netsidecar/contracts';
import { isRefusal, type Sink } from '@netsidecar/sink';
import type { Logger } from '@netsidecar/telemetry';
import { checkCompliance } from './compliance/check.js';
import type { ComplianceRules } from './compliance/rules-file.js';
import { driftOf, maskedIntended, type IntendedText } from './analyse/drift.js';
import type { IntendedSource } from './analyse/intended.js';
import { unifiedDiff } from './analyse/unified-diff.js';
import { normalise } from './analyse/volatile.js';
import { bestWhen, whenOfName } from './analyse/when.js';
import type { Principal } from './auth/users-file.js';
import { UploadError } from './errors.js';
import { toSinkEvents, type ConfigEvent } from './events/config-event.js';
import { decodeBody } from './ingest/decode-body.js';
import { checkFilename } from './ingest/device-name.js';
import { uploadDevice } from './ingest/upload-device.js';
import type { UploadMetrics } from './metrics.js';
import type { ChangeNotices } from './notify/change-notices.js';
import type { Redactor } from './redact/redactor.js';
import { detectVendor } from './redact/vendor.js';
import { VersionExistsError, type ConfigStore, type VersionMeta } from './store/store.js';

export interface UploadInput {
  body: Buffer;
  contentEncoding: string | undefined;
  filename: string | null;
  method: string;
  path: string;
  ip: string;
  userAgent: string | null;
  principal: Principal;
}

/** The 201 answer. */
export interface UploadResult {
  device: string;
  version: number;
  sha256: string;
  changed: boolean;
  drift: boolean | null;
  redactions: number;
}

export interface PipelineDeps {
  store: ConfigStore;
  intended: IntendedSource;
  redactor: Redactor;
  /** null: no rules file, no compliance check (the event's `compliance` is null). */
  compliance: ComplianceRules | null;
  sink: Sink;
  logGroup: string;
  logger: Logger;
  metrics: UploadMetrics;
  /** Change notices (Slack, SNS); null when none is configured. */
  notices?: ChangeNotices | null;
  maxBodyBytes: number;
  now?: () => number;
}

const lastNormalisedLimit = 64 * 1024 * 1024; // 64 Mi characters: a thousand 64 KB configs

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * auth (done by the HTTP layer) -> decode -> redact -> hash -> diff(prev) -> drift(intended) ->
 * store -> event -> sink. Writes of one device are serialised so versions are numbered in order and
 * each diff is against the version before it.
 */
export class UploadPipeline {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly intendedCache = new Map<string, { version: string; intended: IntendedText }>();
  /**
   * The normalised text of each device's latest version, so the next diff need not read and
   * normalise it again (about 6 ms for 1 MB). Bounded by size; a miss reads the store.
   */
  private readonly lastNormalised = new Map<string, { version: number; text: string }>();
  private lastNormalisedBytes = 0;
  private readonly now: () => number;

  constructor(private readonly deps: PipelineDeps) {
    this.now = deps.now ?? Date.now;
  }

  async process(input: UploadInput): Promise<UploadResult> {
    const receivedAt = new Date(this.now()).toISOString();
    const filename = input.filename === null ? null : checkFilename(input.filename);
    const { device, deviceFrom, fromName } = uploadDevice(filename, input.principal, { ciscoArchive: /\bcisco/i.test(input.userAgent ?? '') });

    const { decoded, sha256Original, vendor, redaction } = this.decodeAndRedact(input.body, input.contentEncoding, filename);
    const normalised = normalise(redaction.text);
    const sha256Redacted = sha256(redaction.text);
    const sha256Normalized = sha256(normalised.text);
    const intended = await this.intendedFor(device, vendor);
    // On the redacted text: a rule can see that a secret is set (its tag), never its value.
    const compliance = this.deps.compliance === null ? null : checkCompliance(this.deps.compliance, device, vendor, redaction.text);
    // The text's own stamp first, the file name's when it fixes the time and the text's does not.
    const stamp = bestWhen([{ when: normalised.when, whenZone: normalised.whenZone, whenRaw: normalised.whenRaw }, whenOfName(fromName, redaction.text)]);

    return this.serialised(device, async () => {
      for (let attempt = 0; ; attempt++) {
        const previous = await this.deps.store.latest(device);
        // Not previous + 1: a withdrawn number (a refused upload) is never given out again.
        const version = await this.deps.store.nextVersion(device);
        const changed = previous === null || previous.sha256Normalized !== sha256Normalized;
        let diff = null;
        if (previous !== null && changed) {
          const beforeText = await this.previousNormalised(device, previous.version);
          diff = unifiedDiff(`${device} v${previous.version}`, `${device} v${version}`, beforeText, normalised.text);
        }
        const { drift, driftStatus, driftDiff, intendedSha256 } = driftOf(device, version, normalised.text, intended);
        const uploadId = randomUUID();
        const meta: VersionMeta = {
          device,
          version,
          uploadId,
          receivedAt,
          vendor,
          sha256: sha256Redacted,
          sha256Original,
          sha256Normalized,
          changed,
          who: normalised.who,
          when: stamp.when,
          whenRaw: stamp.whenRaw,
          whenZone: stamp.whenZone,
          principal: input.principal.name,
          sourceIp: input.ip,
          drift,
          driftStatus,
          intendedSha256,
          redactions: redaction.count,
          compliance,
        };
        let key: string;
        try {
          ({ key } = await this.deps.store.put(meta, redaction.text, driftDiff));
        } catch (err) {
          // Another task took this number (S3 conditional write): number again, a few times.
          if (err instanceof VersionExistsError && attempt < 3) continue;
          throw err;
        }
        const event: ConfigEvent = {
          schema: schemaIds.config1,
          receivedAt,
          uploadId,
          device,
          deviceFrom,
          vendor,
          version,
          previousVersion: previous?.version ?? null,
          source: {
            method: input.method,
            path: input.path,
            filename,
            ip: input.ip,
            principal: input.principal.name,
            userAgent: input.userAgent,
            gzip: decoded.gzip,
            bytes: decoded.bytes,
            decodedBytes: decoded.decodedBytes,
          },
          who: meta.who,
          when: meta.when,
          whenRaw: meta.whenRaw,
          whenZone: meta.whenZone,
          sha256: sha256Redacted,
          sha256Original,
          sha256Normalized,
          previousSha256: previous?.sha256 ?? null,
          changed,
          diff: diff?.text ?? null,
          diffAdded: diff?.added ?? 0,
          diffRemoved: diff?.removed ?? 0,
          drift,
          driftStatus,
          driftDiff,
          intendedSha256,
          compliance,
          redactions: redaction.count,
          redactionsByKind: redaction.byKind,
          freeText: redaction.freeText,
          redactionGaps: redaction.unclassified,
          config: redaction.text,
          configBytes: Buffer.byteLength(redaction.text),
          configLines: countLines(redaction.text),
          detached: [],
          parts: 0,
          storeKey: key,
        };
        // Before emit: the sink may detach a long diff from the event.
        const notice = this.deps.notices?.noticeOf(event) ?? null;
        await this.emit(event, meta);
        // In the outbox before the 201, so a restart cannot lose it; posting happens afterwards.
        if (notice !== null) await this.deps.notices!.accept(notice);
        this.remember(device, version, normalised.text);
        this.deps.metrics.redactions(redaction.count);
        if (compliance !== null) this.deps.metrics.complianceFailures(compliance.failedCount);
        // Shapes only (`snmp-server host * vrf * version 2c *`), never a value: operators see which
        // commands no vendor rule knows, so a rule can be added before the safety net is all there is.
        if (redaction.unclassified.length > 0)
          this.deps.logger.warn('redaction gaps: values redacted blindly', { device, version, vendor, shapes: redaction.unclassified });
        this.deps.logger.info('config stored', {
          device,
          version,
          vendor,
          principal: input.principal.name,
          ip: input.ip,
          changed,
          driftStatus,
          complianceFailed: compliance?.failedCount ?? null,
          redactions: redaction.count,
          bytes: decoded.decodedBytes,
        });
        return { device, version, sha256: sha256Redacted, changed, drift, redactions: redaction.count };
      }
    });
  }

  /**
   * The body decoded, hashed and redacted. Only the sizes of the decoded body outlive this call: its
   * text and bytes (a second and third copy of a 1 MB upload) can be collected while the rest of
   * the upload runs, so they are not promoted to the old generation at the next scavenge and do not
   * bring the next mark-compact closer (bench/RESULTS-config.md).
   */
  private decodeAndRedact(body: Buffer, contentEncoding: string | undefined, filename: string | null) {
    const { text, raw, ...decoded } = decodeBody(body, { contentEncoding, filename, maxBytes: this.deps.maxBodyBytes });
    const vendor = detectVendor(text);
    return { decoded, sha256Original: sha256(raw), vendor, redaction: this.deps.redactor.redact(text, vendor) };
  }

  /**
   * Hands the upload's events (`config/1` and its `config-part/1` parts) to the sink as one unit,
   * accepted or refused whole, and waits until they are durable (`durableOnWrite`, or after
   * `flush()`). A refusal withdraws the stored version: nothing is stored without its events, no
   * part of a refused upload reaches the log, and its number is not given out again.
   */
  private async emit(event: ConfigEvent, meta: VersionMeta): Promise<void> {
    const { sink } = this.deps;
    const outcome = sink.writeGroup(toSinkEvents(event, this.deps.logGroup));
    if (isRefusal(outcome)) {
      const { device, version, uploadId } = meta;
      await this.deps.store
        .withdraw({ device, version, uploadId, reason: 'sink_refused' })
        .catch((err: unknown) => this.deps.logger.error('could not withdraw a version after a sink refusal', { device, version, err }));
      this.deps.logger.warn('upload refused by the sink; version withdrawn', { device, version, uploadId, outcome });
      throw new UploadError('sink_unavailable');
    }
    if (!sink.durableOnWrite) await sink.flush();
  }

  private async previousNormalised(device: string, version: number): Promise<string> {
    const cached = this.lastNormalised.get(device);
    if (cached && cached.version === version) return cached.text;
    const before = await this.deps.store.get(device, version);
    return before ? normalise(before.text).text : '';
  }

  private remember(device: string, version: number, text: string): void {
    const old = this.lastNormalised.get(device);
    if (old) this.lastNormalisedBytes -= old.text.length;
    if (this.lastNormalisedBytes + text.length > lastNormalisedLimit) {
      this.lastNormalised.clear();
      this.lastNormalisedBytes = 0;
    }
    this.lastNormalised.set(device, { version, text });
    this.lastNormalisedBytes += text.length;
  }

  /**
   * The intended config, redacted with the same engine and key, normalised, and its secrets masked
   * (analyse/drift.ts); cached while its file is unchanged.
   */
  private async intendedFor(device: string, vendor: ReturnType<typeof detectVendor>): Promise<IntendedText | null> {
    const found = await this.deps.intended.read(device);
    if (found === null) return null;
    const cached = this.intendedCache.get(device);
    if (cached && cached.version === found.version) return cached.intended;
    const raw = await found.text();
    const intendedVendor = detectVendor(raw);
    const intended = maskedIntended(normalise(this.deps.redactor.redact(raw, intendedVendor === 'unknown' ? vendor : intendedVendor).text).text);
    if (this.intendedCache.size >= 10_000) this.intendedCache.clear();
    this.intendedCache.set(device, { version: found.version, intended });
    return intended;
  }

  private serialised<T>(device: string, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(device) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => {});
    this.locks.set(device, tail);
    void tail.then(() => {
      if (this.locks.get(device) === tail) this.locks.delete(device);
    });
    return run;
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') || text === '' ? n : n + 1;
}
