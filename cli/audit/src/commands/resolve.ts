import { toLogStreamName } from '@netsidecar/sink';
import type { Context } from '../context.js';
import { AuditError } from '../errors.js';
import type { ServiceName } from '@netsidecar/contracts';
import { checkRetention, parseRange, type TimeRange } from '../time-range.js';

/** `--device NAME` to its stream name (as the services name streams), checked to exist. */
export async function resolveDevice(ctx: Context, service: ServiceName, device: string | undefined, range: TimeRange): Promise<string[] | undefined> {
  if (device === undefined || device === 'all') return undefined;
  const stream = toLogStreamName(device);
  const known = await ctx.source.streams(service, range);
  if (!known.includes(stream)) {
    const shown = known.slice(0, 10).join(', ') + (known.length > 10 ? `, ... (${known.length} in all)` : '');
    throw new AuditError(
      'AUDIT_UNKNOWN_DEVICE',
      `no device '${device}' in ${ctx.source.logGroup(service)}${known.length ? `; known: ${shown}` : ' (it has no streams)'}`,
    );
  }
  return [stream];
}

/** The range of the command line, checked against the retention of every group it will read. */
export async function resolveRange(ctx: Context, services: readonly ServiceName[], defaults?: { from: string; to: string }): Promise<TimeRange> {
  const { from, to } = ctx.args.values;
  if ((from === undefined || to === undefined) && defaults === undefined) {
    throw new AuditError('AUDIT_USAGE', `${ctx.args.command} needs --from and --to`);
  }
  const range = parseRange(from ?? defaults!.from, to ?? defaults!.to, ctx.now);
  for (const service of services) {
    let days: number | undefined;
    try {
      days = (await ctx.source.logGroupSettings(service)).retentionDays;
    } catch (err) {
      // A group that does not exist has no retention to break; reading it reports the problem.
      if (err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP') continue;
      throw err;
    }
    checkRetention(range, ctx.source.logGroup(service), days, ctx.now);
  }
  return range;
}
