import { oneOfOption } from '../args.js';
import type { Context } from '../context.js';
import { AuditError } from '../errors.js';
import { count } from '../progress.js';
import { NTP_UPSTREAM_STREAM, type ServiceName } from '@netsidecar/contracts';
import { iso, parseDuration, parseTime } from '../time-range.js';

/**
 * `silence` (PCI DSS 10.7: failures of logging must be detected): devices whose newest syslog event
 * is older than `--threshold`, and routers whose newest NTP event (a `client_summary` every 5 min
 * while they ask for time) is older than `--ntp-threshold`. Exit 3 when anything is silent, so a
 * cron job or a pipeline step can alarm on it.
 */
export interface SilentStream {
  service: ServiceName;
  device: string;
  lastEventAt: string;
  silentForS: number;
  thresholdS: number;
}

export const SILENT_EXIT = 3;

async function silentIn(ctx: Context, service: ServiceName, thresholdMs: number, at: number, skip: (s: string) => boolean) {
  const names = (await ctx.source.streams(service)).filter((s) => !skip(s));
  const silent: SilentStream[] = [];
  let done = 0;
  // A few reads at a time: one GetLogEvents per stream against CloudWatch.
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const last = await ctx.source.lastEventTime(service, name);
      done++;
      ctx.progress.update(`${service}: ${count(done)}/${count(names.length)} streams checked`);
      if (last === undefined || at - last <= thresholdMs) continue;
      silent.push({ service, device: name, lastEventAt: iso(last), silentForS: Math.floor((at - last) / 1000), thresholdS: thresholdMs / 1000 });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  silent.sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  return { checked: names.length, silent };
}

export async function silenceCommand(ctx: Context): Promise<number> {
  const { values } = ctx.args;
  if (ctx.source.kind === 'archive') {
    // The archive is behind CloudWatch by the Firehose buffer (up to 15 min) and lists no stream it has not read.
    throw new AuditError('AUDIT_USAGE', 'silence reads the live log groups: use --source cloudwatch (or file), not archive');
  }
  const threshold = parseDuration('--threshold', values.threshold ?? '1h');
  const ntpThreshold = parseDuration('--ntp-threshold', values['ntp-threshold'] ?? '30m');
  const at = values.at === undefined ? ctx.now : parseTime('--at', values.at, ctx.now);
  const format = oneOfOption('format', values.format, ['text', 'jsonl'] as const, 'text');

  const found: SilentStream[] = [];
  const notes: string[] = [];
  let groups = 0;
  for (const [service, limit] of [
    ['syslog', threshold],
    ['ntp', ntpThreshold],
  ] as const) {
    try {
      const result = await silentIn(ctx, service, limit, at, (s) => service === 'ntp' && s === NTP_UPSTREAM_STREAM);
      groups++;
      found.push(...result.silent);
      notes.push(`${service}: ${result.checked} device(s) checked, ${result.silent.length} silent for more than ${limit / 1000} s`);
      if (service === 'ntp') {
        const upstream = await ctx.source.lastEventTime('ntp', NTP_UPSTREAM_STREAM);
        if (upstream === undefined || at - upstream > ntpThreshold) {
          notes.push(`ntp: the ntp-proxy itself has written no upstream event since ${upstream === undefined ? 'ever' : iso(upstream)}`);
        }
      }
    } catch (err) {
      if (!(err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP')) throw err;
      notes.push(`${service}: ${err.message}`);
    }
  }
  ctx.progress.done();
  if (groups === 0) throw new AuditError('AUDIT_NO_LOG_GROUP', notes.join('; '));

  const out = ctx.io.stdout;
  if (format === 'jsonl') {
    for (const s of found) out.write(JSON.stringify(s) + '\n');
  } else {
    out.write(`Silence at ${iso(at)} (${ctx.source.kind})\n`);
    for (const note of notes) out.write(`  ${note}\n`);
    if (found.length > 0) {
      out.write('\nservice  device                          last event                silent for\n');
      for (const s of found) {
        out.write(`${s.service.padEnd(8)} ${s.device.padEnd(31)} ${s.lastEventAt.padEnd(25)} ${human(s.silentForS)}\n`);
      }
    }
  }
  for (const note of notes.filter((n) => n.includes('itself'))) ctx.io.stderr.write(`warning: ${note}\n`);
  return found.length > 0 ? SILENT_EXIT : 0;
}

function human(seconds: number): string {
  if (seconds >= 86_400) return `${(seconds / 86_400).toFixed(1)} d`;
  if (seconds >= 3_600) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${Math.round(seconds / 60)} min`;
}
