import { AuditError } from '../errors.js';
import { parseEvent } from '../event.js';
import { csvLine } from '../output/csv.js';
import { count } from '../progress.js';
import { NTP_UPSTREAM_STREAM } from '../services.js';
import { Downsampled, num, str, type Period, type SectionInput } from './sections.js';

export interface NtpClient {
  client: string;
  summaries: number;
  warnings: number;
  maxAbsOffsetMs?: number;
  lastOffsetMs?: number;
  lastSeen?: number;
}

export interface NtpSection {
  present: boolean;
  upstreamEvents: number;
  samples: number;
  okSamples: number;
  /** Unsynchronised periods, and stretches with no upstream record at all. */
  periods: Period[];
  /** Share of the range the service said it was synchronised and had records. */
  syncedShare: number;
  clients: NtpClient[];
  offsets: Map<string, Downsampled>;
}

/** A silence of the upstream stream longer than this is reported: the poll interval is 16 s. */
export const NTP_GAP_MS = 15 * 60_000;
/** A router with no `client_summary` (every 5 min while it asks) for this long before the end stopped asking. */
export const NTP_ROUTER_SILENCE_MS = 60 * 60_000;

/**
 * NTP evidence: the upstream synchronisation history (every sample and status change), the periods
 * the service was not synchronised (from `synchronised` in `upstream_sample`/`status`) or left no
 * record, and each router's clock offset over time from `client_summary` / `client_clock_warning`.
 */
export async function ntpSection({ ctx, bundle, range, warnings }: SectionInput): Promise<NtpSection> {
  const section: NtpSection = { present: false, upstreamEvents: 0, samples: 0, okSamples: 0, periods: [], syncedShare: 0, clients: [], offsets: new Map() };
  let streams: string[];
  try {
    streams = await ctx.source.streams('ntp', range);
  } catch (err) {
    if (!(err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP')) throw err;
    warnings.push(`ntp: ${err.message}`);
    return section;
  }
  section.present = true;

  // Upstream: raw events, the sync history CSV, and the state machine of synchronisation.
  const upstreamQuery = { service: 'ntp' as const, streams: [NTP_UPSTREAM_STREAM], from: range.from, to: range.to };
  const raw = await bundle.open('ntp/upstream.jsonl', ctx.source.provenance(upstreamQuery));
  const history = await bundle.open('ntp/sync-history.csv', { derivedFrom: ['ntp/upstream.jsonl'] });
  await history.write(csvLine(['time', 'type', 'server', 'result', 'offsetMs', 'delayMs', 'stratum', 'selected', 'synchronised', 'servedStratum', 'reason']));
  let state: boolean | undefined;
  let unsyncedSince: number | undefined;
  let unsyncedReason: string | undefined;
  let lastRecord = range.from;
  let unsyncedMs = 0;
  let gapMs = 0;
  const hasUpstream = streams.includes(NTP_UPSTREAM_STREAM);
  if (hasUpstream) {
    for await (const event of ctx.source.events(upstreamQuery)) {
      await raw.row(event.message + '\n');
      section.upstreamEvents++;
      const e = parseEvent(event.message);
      if (e === undefined) continue;
      const type = str(e['type']);
      if (type !== 'upstream_sample' && type !== 'status') continue;
      if (type === 'upstream_sample') {
        section.samples++;
        if (e['result'] === 'ok') section.okSamples++;
      }
      await history.row(
        csvLine([new Date(event.timestamp).toISOString(), type, e['server'] ?? e['selected'], e['result'], e['offsetMs'], e['delayMs'], e['stratum'] ?? e['servedStratum'], e['selected'], e['synchronised'], e['servedStratum'], e['reason']]),
      );
      if (event.timestamp - lastRecord > NTP_GAP_MS) {
        section.periods.push({ start: lastRecord, end: event.timestamp, kind: 'no record', note: 'no upstream event: service down or not logging' });
        gapMs += event.timestamp - lastRecord;
      }
      lastRecord = event.timestamp;
      const synced = e['synchronised'];
      if (typeof synced !== 'boolean') continue;
      if (!synced && state !== false) {
        unsyncedSince = event.timestamp;
        unsyncedReason = str(e['reason']) ?? (type === 'upstream_sample' ? `last sample: ${String(e['result'])}` : undefined);
      } else if (!synced && type === 'status' && str(e['reason']) !== undefined) {
        unsyncedReason = str(e['reason']); // the status event says why better than a sample's result
      }
      if (synced && state === false && unsyncedSince !== undefined) {
        section.periods.push({ start: unsyncedSince, end: event.timestamp, kind: 'unsynchronised', ...(unsyncedReason ? { note: unsyncedReason } : {}) });
        unsyncedMs += event.timestamp - unsyncedSince;
        unsyncedSince = undefined;
        unsyncedReason = undefined;
      }
      state = synced;
    }
  }
  if (state === false && unsyncedSince !== undefined) {
    section.periods.push({ start: unsyncedSince, end: range.to, kind: 'unsynchronised', note: `${unsyncedReason ?? ''} (still at the end of the range)`.trim() });
    unsyncedMs += range.to - unsyncedSince;
  }
  const tailEnd = Math.min(range.to, ctx.now);
  if (tailEnd - lastRecord > NTP_GAP_MS) {
    section.periods.push({ start: lastRecord, end: tailEnd, kind: 'no record', note: 'no upstream event until the end of the range' });
    gapMs += tailEnd - lastRecord;
  }
  section.periods.sort((a, b) => a.start - b.start);
  section.syncedShare = Math.max(0, 1 - (unsyncedMs + gapMs) / Math.max(1, tailEnd - range.from));
  await raw.close();
  await history.close();
  if (!hasUpstream) warnings.push('ntp: no upstream stream: no synchronisation record at all');
  for (const p of section.periods) {
    warnings.push(`ntp: ${p.kind} from ${new Date(p.start).toISOString()} to ${new Date(p.end).toISOString()}${p.note ? ` (${p.note})` : ''}`);
  }

  // Routers: every client stream, merged in time order.
  const clientStreams = streams.filter((s) => s !== NTP_UPSTREAM_STREAM);
  const clientQuery = { service: 'ntp' as const, streams: clientStreams, from: range.from, to: range.to };
  const clientsRaw = await bundle.open('ntp/clients.jsonl', ctx.source.provenance(clientQuery));
  const offsets = await bundle.open('ntp/client-offsets.csv', { derivedFrom: ['ntp/clients.jsonl'] });
  await offsets.write(csvLine(['time', 'client', 'type', 'clientOffsetMs', 'clientOffsetBoundMs', 'clientOffsetMethod', 'requests', 'authenticated', 'message']));
  const clients = new Map<string, NtpClient>(clientStreams.map((c) => [c, { client: c, summaries: 0, warnings: 0 }]));
  let n = 0;
  if (clientStreams.length > 0) {
    for await (const event of ctx.source.events(clientQuery)) {
      await clientsRaw.row(event.message + '\n');
      if ((++n & 4095) === 0) ctx.progress.update(`ntp clients: ${count(n)} events`);
      const e = parseEvent(event.message);
      const client = clients.get(event.stream);
      if (e === undefined || client === undefined) continue;
      const type = str(e['type']);
      if (type === 'client_summary') client.summaries++;
      else if (type === 'client_clock_warning') client.warnings++;
      else continue;
      client.lastSeen = event.timestamp;
      const offset = num(e['clientOffsetMs']);
      await offsets.row(csvLine([new Date(event.timestamp).toISOString(), event.stream, type, offset, e['clientOffsetBoundMs'], e['clientOffsetMethod'], e['requests'], e['authenticated'], e['message']]));
      if (offset === undefined) continue;
      client.lastOffsetMs = offset;
      client.maxAbsOffsetMs = Math.max(client.maxAbsOffsetMs ?? 0, Math.abs(offset));
      let series = section.offsets.get(event.stream);
      if (series === undefined) section.offsets.set(event.stream, (series = new Downsampled(range)));
      series.add(event.timestamp, offset);
    }
  }
  await clientsRaw.close();
  await offsets.close();
  section.clients = [...clients.values()];
  for (const c of section.clients) {
    if (c.summaries === 0 && c.warnings === 0) warnings.push(`ntp: router ${c.client} did not ask for time in the range`);
    else if (c.lastSeen !== undefined && tailEnd - c.lastSeen > NTP_ROUTER_SILENCE_MS) {
      warnings.push(`ntp: router ${c.client} stopped asking for time: last summary ${new Date(c.lastSeen).toISOString()}`);
    }
    if (c.warnings > 0) warnings.push(`ntp: router ${c.client} had ${c.warnings} clock warning(s), worst offset ${c.maxAbsOffsetMs?.toFixed(3)} ms`);
  }
  const periodsCsv = [csvLine(['start', 'end', 'durationS', 'kind', 'note'])];
  for (const p of section.periods) {
    periodsCsv.push(csvLine([new Date(p.start).toISOString(), new Date(p.end).toISOString(), Math.round((p.end - p.start) / 1000), p.kind, p.note]));
  }
  await bundle.put('ntp/unsynchronised-periods.csv', periodsCsv.join(''), { derivedFrom: ['ntp/upstream.jsonl'] }, section.periods.length);
  return section;
}
