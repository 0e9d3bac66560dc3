import { PartGroup, readPart, schemaIds } from '@netsidecar/contracts';
import { AuditError } from '../errors.js';
import { parseEvent } from '../event.js';
import { field } from '../output/columns.js';
import { csvLine } from '../output/csv.js';
import { dayOf } from '../time-range.js';
import type { Provenance } from '../source/source.js';
import { safeName } from './bundle.js';
import { openLogGroup, settleLogGroup, type LogGroupFacts } from './log-group.js';
import { lookBackProvenance, lookBackStart } from './look-back.js';
import { str, num, type SectionInput } from './sections.js';

export interface ConfigDevice {
  device: string;
  versions: number;
  changes: number;
  /**
   * Drift of the last upload before the end of the range: `in_sync`, `drifted`, `no_intended`, or
   * undefined when no upload was found (none in the range nor in the look-back before it).
   */
  driftAtEnd?: string;
  lastUpload?: number;
  lastVersion?: number;
  /** The last upload is from before the range (found by the look-back): no upload in the range. */
  beforeRange?: boolean;
}

/** How the drift table names a device's state at the end, for the CSV and the summaries. */
export const driftLabel = (d: ConfigDevice): string =>
  d.driftAtEnd === undefined
    ? d.lastUpload === undefined
      ? 'no upload in range or look-back'
      : 'unknown'
    : d.beforeRange && d.lastUpload !== undefined
      ? `${d.driftAtEnd} (upload of ${new Date(d.lastUpload).toISOString()}, before the range)`
      : d.driftAtEnd;

/** A `config/1` event (not a `config-part/1`): the look-back wants the upload itself. */
const isUpload = (message: string): boolean => message.includes(`"${schemaIds.config1}"`) && parseEvent(message)?.['schema'] === schemaIds.config1;

/** One changed version in the range: who changed the device and when, as the page lists it. */
export interface ConfigChange {
  device: string;
  version: number;
  receivedAt: number;
  /** The user the config names (`who`), `null` when it does not say. */
  who: string | null;
  /** When the device says the change was made (`when`, UTC), `null` when unknown. */
  when: string | null;
  /** Who uploaded it (the upload credential's principal) and from where. */
  principal: string | null;
  sourceIp: string | null;
}

/** Changes kept for the summary's table; every version is in config/versions.csv whatever the number. */
export const MAX_LISTED_CHANGES = 200;

export interface ConfigSection {
  present: boolean;
  group: LogGroupFacts;
  devices: ConfigDevice[];
  /** day -> changed uploads */
  changesPerDay: Map<string, number>;
  /** device -> day -> changed uploads: the config chart has a mark per device. */
  changesPerDevicePerDay: Map<string, Map<string, number>>;
  /** The first MAX_LISTED_CHANGES changes of the range (devices in name order, each in time order). */
  changes: ConfigChange[];
  changesTotal: number;
  /** Changes whose config does not say who made them. */
  withoutWho: number;
  uploads: number;
  incomplete: number;
}

interface Pending {
  event: Record<string, unknown> | undefined;
  timestamp: number;
  /** The detached fields' parts, one joiner per field (the one codec of @netsidecar/contracts). */
  fields: Map<string, PartGroup>;
  expected: number;
  received: number;
}

/**
 * Config evidence: every `config/1` version in the range with who/when (and who uploaded it), its
 * diff, its drift against the intended config, the redacted config text, and each device's drift at
 * the end. Fields the service detached into `config-part/1` events (over 250 kB) are joined back.
 */
export async function configSection(input: SectionInput): Promise<ConfigSection> {
  const { ctx, bundle, range, warnings } = input;
  // Devices whose last upload is before the range are streams too: the archive, which lists only
  // streams with events in what it reads, is asked for the look-back as well.
  let lookBackFrom = range.from;
  let lookBackUsed = false;
  try {
    lookBackFrom = await lookBackStart(input, 'config');
  } catch (err) {
    if (!(err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP')) throw err; // openLogGroup says it
  }
  const { facts, streams } = await openLogGroup(input, 'config', { from: lookBackFrom, to: range.to });
  const section: ConfigSection = {
    present: false,
    group: facts,
    devices: [],
    changesPerDay: new Map(),
    changesPerDevicePerDay: new Map(),
    changes: [],
    changesTotal: 0,
    withoutWho: 0,
    uploads: 0,
    incomplete: 0,
  };
  if (streams === undefined) return section;
  section.present = true;
  let events = 0;
  const versions = await bundle.open('config/versions.csv', { derivedFrom: streams.map((s) => `config/${safeName(s)}/events.jsonl`) });
  await versions.write(
    csvLine([
      'device',
      'version',
      'receivedAt',
      'who',
      'when',
      'principal',
      'sourceIp',
      'changed',
      'diffAdded',
      'diffRemoved',
      'driftStatus',
      'sha256',
      'previousSha256',
      'redactions',
      'diffFile',
    ]),
  );

  const before: string[] = [];
  for (const stream of streams) {
    const dir = `config/${safeName(stream)}`;
    const query = { service: 'config' as const, streams: [stream], from: range.from, to: range.to };
    const raw = await bundle.open(`${dir}/events.jsonl`, ctx.source.provenance(query));
    const device: ConfigDevice = { device: stream, versions: 0, changes: 0 };
    const pending = new Map<string, Pending>();

    const finish = async (p: Pending & { event: Record<string, unknown> }) => {
      const e = p.event;
      for (const [name, parts] of p.fields) {
        const joined = parts.join();
        if (joined !== undefined) e[name] = joined;
      }
      const version = num(e['version']) ?? device.versions + 1;
      const base = `${dir}/v${version}`;
      const derived = { derivedFrom: [`${dir}/events.jsonl`] };
      let diffFile = '';
      if (typeof e['diff'] === 'string') {
        diffFile = `${base}.diff`;
        await bundle.put(diffFile, e['diff'], derived);
      }
      if (typeof e['driftDiff'] === 'string') await bundle.put(`${base}.drift.diff`, e['driftDiff'], derived);
      if (typeof e['config'] === 'string') await bundle.put(`${base}.conf`, e['config'], derived);
      const changed = e['changed'] === true;
      device.versions++;
      if (changed) {
        device.changes++;
        const day = dayOf(p.timestamp);
        section.changesPerDay.set(day, (section.changesPerDay.get(day) ?? 0) + 1);
        const perDay = section.changesPerDevicePerDay.get(stream) ?? new Map<string, number>();
        section.changesPerDevicePerDay.set(stream, perDay.set(day, (perDay.get(day) ?? 0) + 1));
        const who = str(e['who']) ?? null;
        if (who === null) section.withoutWho++;
        if (section.changesTotal++ < MAX_LISTED_CHANGES) {
          const principal = field(e, 'source.principal');
          const sourceIp = field(e, 'source.ip');
          section.changes.push({
            device: stream,
            version,
            receivedAt: p.timestamp,
            who,
            when: str(e['when']) ?? null,
            principal: typeof principal === 'string' ? principal : null,
            sourceIp: typeof sourceIp === 'string' ? sourceIp : null,
          });
        }
      }
      device.driftAtEnd = str(e['driftStatus']);
      device.lastUpload = p.timestamp;
      device.lastVersion = version;
      section.uploads++;
      await versions.row(
        csvLine([
          stream,
          version,
          new Date(p.timestamp).toISOString(),
          e['who'],
          e['when'],
          field(e, 'source.principal'),
          field(e, 'source.ip'),
          e['changed'],
          e['diffAdded'],
          e['diffRemoved'],
          e['driftStatus'],
          e['sha256'],
          e['previousSha256'],
          e['redactions'],
          diffFile,
        ]),
      );
    };

    // Parts may come before their config/1 event (Logs Insights does not keep the arrival order
    // of one millisecond): whichever comes first opens the upload, the last piece closes it.
    const openUpload = (uploadId: string, timestamp: number): Pending => {
      let p = pending.get(uploadId);
      if (p === undefined) pending.set(uploadId, (p = { event: undefined, timestamp, fields: new Map(), expected: -1, received: 0 }));
      return p;
    };
    for await (const event of ctx.source.events(query)) {
      await raw.row(event.message + '\n');
      events++;
      const e = parseEvent(event.message);
      if (e === undefined) continue;
      const uploadId = str(e['uploadId']) ?? '';
      let p: Pending;
      if (e['schema'] === schemaIds.configPart1) {
        const part = readPart(e);
        if (part?.schema !== schemaIds.configPart1) continue;
        p = openUpload(uploadId, event.timestamp);
        const fieldParts = p.fields.get(part.field) ?? new PartGroup(part.parts);
        p.fields.set(part.field, fieldParts);
        if (fieldParts.parts === part.parts && fieldParts.add(part.part, part.data)) p.received++;
      } else if (e['schema'] === schemaIds.config1) {
        p = openUpload(uploadId, event.timestamp);
        p.event = e;
        p.timestamp = event.timestamp;
        p.expected = num(e['parts']) ?? 0;
      } else continue;
      if (p.event !== undefined && p.received >= p.expected) {
        pending.delete(uploadId);
        await finish(p as Pending & { event: Record<string, unknown> });
      }
    }
    for (const [uploadId, p] of pending) {
      section.incomplete++;
      if (p.event === undefined) {
        warnings.push(`config: ${stream} upload ${uploadId} has config-part/1 events but no config/1 event in the range`);
        continue;
      }
      warnings.push(
        `config: ${stream} version ${String(p.event['version'])} is missing ${p.expected - p.received} config-part/1 event(s): its detached fields are incomplete in the bundle`,
      );
      p.fields.clear(); // never a diff with holes that reads as complete
      await finish({ ...p, event: p.event });
    }
    await raw.close();
    if (device.lastUpload === undefined) {
      // No upload in the range: its state at the end is that of its last upload before it.
      lookBackUsed = true;
      const last = await ctx.source.newestMatching('config', stream, lookBackFrom, range.from, isUpload);
      const e = last === undefined ? undefined : parseEvent(last.message);
      if (last !== undefined && e !== undefined) {
        before.push(last.message + '\n');
        device.driftAtEnd = str(e['driftStatus']);
        device.lastUpload = last.timestamp;
        device.lastVersion = num(e['version']);
        device.beforeRange = true;
      }
    }
    section.devices.push(device);
  }
  await versions.close();
  settleLogGroup(input, facts, events);
  if (section.withoutWho > 0) {
    warnings.push(
      `config: ${section.withoutWho} of ${section.changesTotal} change(s) do not say who made them (no user in the uploaded config): PCI DSS 10.2.2 asks for the user of each change`,
    );
  }
  const derivedFrom = ['config/versions.csv'];
  let lookBack: { lookBack: Provenance } | undefined;
  if (lookBackUsed) {
    lookBack = { lookBack: lookBackProvenance(input, 'config', lookBackFrom) };
    // The uploads the look-back found, as stored: the drift of a quiet device can be checked too.
    await bundle.put('config/before-range.jsonl', before.join(''), lookBack.lookBack, before.length);
    derivedFrom.push('config/before-range.jsonl');
  }
  const drift = [csvLine(['device', 'lastVersion', 'lastUpload', 'driftStatus', 'uploadIn'])];
  for (const d of section.devices) {
    const uploadIn = d.lastUpload === undefined ? '' : d.beforeRange ? 'before range' : 'range';
    drift.push(
      csvLine([
        d.device,
        d.lastVersion,
        d.lastUpload === undefined ? '' : new Date(d.lastUpload).toISOString(),
        d.driftAtEnd ?? (d.lastUpload === undefined ? 'no upload in range or look-back' : ''),
        uploadIn,
      ]),
    );
    if (d.driftAtEnd === 'drifted') {
      warnings.push(
        `config: ${d.device} drifts from its intended config at the end of the range` +
          (d.beforeRange && d.lastUpload !== undefined ? ` (its last upload, ${new Date(d.lastUpload).toISOString()}, is before the range)` : ''),
      );
    }
  }
  await bundle.put('config/drift-at-end.csv', drift.join(''), { derivedFrom, ...lookBack }, section.devices.length);
  return section;
}
