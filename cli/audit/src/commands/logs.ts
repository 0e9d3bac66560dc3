import { rename, rm } from 'node:fs/promises';
import { oneOfOption } from '../args.js';
import type { Context } from '../context.js';
import { AuditError } from '../errors.js';
import { parseEvent } from '../event.js';
import { exportedMessage } from '../syslog-export.js';
import { csvCells, csvColumns } from '../output/columns.js';
import { csvLine } from '../output/csv.js';
import { TextWriter } from '../output/sink-writer.js';
import { count } from '../progress.js';
import { isServiceName, serviceNames, type ServiceName } from '@netsidecar/contracts';
import { iso } from '../time-range.js';
import { syslogDeviceEvents } from './device-events.js';
import { resolveDevice, resolveRange } from './resolve.js';

/**
 * `logs`: one service's events, one device or all, as JSON lines (each line the event as stored, a
 * `syslog/2` one as the `syslog/1` event it stands for: syslog-export.ts) or CSV, streamed: each event is written as it is read, with backpressure.
 */
export async function logsCommand(ctx: Context): Promise<number> {
  const { values } = ctx.args;
  const service = values.service;
  if (service === undefined || !isServiceName(service)) {
    throw new AuditError('AUDIT_USAGE', `logs needs --service ${serviceNames.join('|')}${service ? ` (got '${service}')` : ''}`);
  }
  const format = oneOfOption('format', values.format, ['jsonl', 'csv'] as const, 'jsonl');
  const range = await resolveRange(ctx, [service], { from: '24h', to: 'now' });
  const streams = await resolveDevice(ctx, service, values.device, range);
  if (streams === undefined) await ctx.source.streams(service, range); // a missing group is an error, not an empty export

  // A file is written beside its name and renamed when complete: a failed export leaves nothing
  // that could pass for a complete one.
  const partial = values.out === undefined ? undefined : `${values.out}.partial-${process.pid}`;
  const out = partial === undefined ? new TextWriter(ctx.io.stdout, 'stdout') : TextWriter.toFile(partial);
  try {
    const n = await copy();
    if (partial !== undefined) await rename(partial, values.out!);
    return n;
  } catch (err) {
    if (partial !== undefined) await out.end().catch(() => {});
    if (partial !== undefined) await rm(partial, { force: true });
    throw err;
  }

  async function copy(this: void): Promise<number> {
    const service = values.service as ServiceName;
    if (format === 'csv') await out.write(csvLine(csvColumns(service)));
    let n = 0;
    const query = { service, from: range.from, to: range.to, ...(streams ? { streams } : {}) };
    // A syslog device's events capped into source address streams are its events too (device-events.ts).
    const events = streams !== undefined && service === 'syslog' ? await syslogDeviceEvents(ctx.source, query, values.device!) : ctx.source.events(query);
    for await (const event of events) {
      const message = exportedMessage(service, event);
      await out.write(format === 'jsonl' ? message + '\n' : csvLine(csvCells(service, event, parseEvent(message))));
      n++;
      if ((n & 255) === 0) ctx.progress.update(`${service}: ${count(n)} events, at ${new Date(event.timestamp).toISOString()}`);
    }
    await out.end();
    ctx.progress.done();
    if (ctx.joinStats.incomplete > 0) {
      ctx.io.stderr.write(`warning: ${ctx.joinStats.incomplete} split event(s) had parts missing; their parts were written as they are\n`);
    }
    if (n === 0) {
      // An empty export is an answer, not a failure (exit 0), but never a silent one: an empty file
      // or an empty pipe alone cannot tell "nothing happened" from "asked the wrong range".
      const which = streams === undefined ? 'all streams' : `stream ${streams[0]}`;
      ctx.io.stderr.write(`no events: ${ctx.source.logGroup(service)}, ${which}, from ${iso(range.from)} to ${iso(range.to)} (to excluded)\n`);
    } else if (ctx.progress.enabled || values.out !== undefined) ctx.io.stderr.write(`${count(n)} events\n`);
    return 0;
  }
}
