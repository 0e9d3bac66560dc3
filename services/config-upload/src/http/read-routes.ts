import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalise } from '../analyse/volatile.js';
import { unifiedDiff } from '../analyse/unified-diff.js';
import { matchesAny } from '../auth/glob.js';
import { UploadError } from '../errors.js';
import { checkDevice } from '../ingest/device-name.js';
import type { UploadMetrics } from '../metrics.js';
import type { ConfigStore } from '../store/store.js';
import { isStale, type StalePolicy } from '../stale/stale-policy.js';

/**
 * The auditors' API (role `read`, checked in onRequest). It only ever serves what the store holds,
 * which is redacted text: there is no unredacted content to leak.
 */
export function registerReadRoutes(
  app: FastifyInstance,
  deps: { store: ConfigStore; metrics: UploadMetrics; stalePolicy: StalePolicy; now: () => number },
): void {
  const allowedDevice = (request: FastifyRequest): string => {
    const device = checkDevice((request.params as { device: string }).device);
    if (!matchesAny(request.principal!.devices, device)) throw new UploadError('device_not_allowed');
    return device;
  };
  const versionParam = (value: string | undefined): number => {
    if (value === undefined || !/^\d{1,9}$/.test(value) || Number(value) < 1) throw new UploadError('bad_request');
    return Number(value);
  };

  app.get('/api/devices', async (request) => {
    const out = [];
    for (const device of await deps.store.devices()) {
      if (!matchesAny(request.principal!.devices, device)) continue;
      const meta = await deps.store.latest(device);
      if (!meta) continue;
      out.push({
        device,
        vendor: meta.vendor,
        version: meta.version,
        lastUploadAt: meta.receivedAt,
        ageSeconds: Math.max(0, Math.round((deps.now() - Date.parse(meta.receivedAt)) / 1000)),
        // The same rule as the stale backup check (NETSIDECAR_UPLOAD_STALE_AFTER[_BY_DEVICE]).
        stale: isStale(deps.stalePolicy, device, meta.receivedAt, deps.now()),
        staleAfterSeconds: staleAfterSeconds(deps.stalePolicy, device),
        changed: meta.changed,
        drift: meta.drift,
        driftStatus: meta.driftStatus,
        complianceFailed: meta.compliance?.failedCount ?? null,
        sha256: meta.sha256,
      });
    }
    return out;
  });

  app.get('/api/devices/:device/versions', async (request) => {
    const device = allowedDevice(request);
    const versions = await deps.store.versions(device);
    if (versions.length === 0) throw new UploadError('not_found');
    return versions.map((m) => ({
      version: m.version,
      receivedAt: m.receivedAt,
      sha256: m.sha256,
      sha256Original: m.sha256Original,
      changed: m.changed,
      who: m.who,
      when: m.when,
      whenRaw: m.whenRaw,
      whenZone: m.whenZone,
      principal: m.principal,
      drift: m.drift,
      // Rules this version failed; null when it was not checked (no rules file).
      complianceFailed: m.compliance?.failedCount ?? null,
    }));
  });

  // The latest version against the intended config, as recorded at its upload (the drift diff is
  // masked: it never shows a secret value, nor a difference only in one).
  app.get('/api/devices/:device/drift', async (request) => {
    const device = allowedDevice(request);
    const meta = await deps.store.latest(device);
    if (!meta) throw new UploadError('not_found');
    return {
      device,
      version: meta.version,
      receivedAt: meta.receivedAt,
      drift: meta.drift,
      driftStatus: meta.driftStatus,
      intendedSha256: meta.intendedSha256,
      driftDiff: meta.driftStatus === 'drifted' ? await deps.store.driftDiff(device, meta.version) : null,
    };
  });

  app.get('/api/devices/:device/versions/:version', async (request, reply) => {
    const device = allowedDevice(request);
    const found = await deps.store.get(device, versionParam((request.params as { version?: string }).version));
    if (!found) throw new UploadError('not_found');
    return reply.type('text/plain; charset=utf-8').send(found.text);
  });

  app.get('/api/devices/:device/diff', async (request, reply) => {
    const device = allowedDevice(request);
    const query = request.query as { from?: string; to?: string };
    const from = versionParam(query.from);
    const to = versionParam(query.to);
    const [a, b] = await Promise.all([deps.store.get(device, from), deps.store.get(device, to)]);
    if (!a || !b) throw new UploadError('not_found');
    const diff = unifiedDiff(`${device} v${from}`, `${device} v${to}`, normalise(a.text).text, normalise(b.text).text);
    return reply.type('text/plain; charset=utf-8').send(diff.text);
  });
}

/** The expected upload interval of a device, in seconds; null when it is never stale (`off`). */
function staleAfterSeconds(policy: StalePolicy, device: string): number | null {
  const ms = policy.afterMs(device);
  return ms === null ? null : ms / 1000;
}
