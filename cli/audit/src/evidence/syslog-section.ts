import { count } from '../progress.js';
import { csvLine } from '../output/csv.js';
import { exportedMessage } from '../syslog-export.js';
import { dayOf } from '../time-range.js';
import { safeName } from './bundle.js';
import { openLogGroup, settleLogGroup, type LogGroupFacts } from './log-group.js';
import type { SectionInput } from './sections.js';

export interface SyslogDevice {
  device: string;
  events: number;
  first?: number;
  last?: number;
  file: string;
}

export interface SyslogSection {
  present: boolean;
  group: LogGroupFacts;
  devices: SyslogDevice[];
  /** device -> day (YYYY-MM-DD) -> events */
  perDay: Map<string, Map<string, number>>;
  total: number;
}

/** A device with no event in the last day of the range is reported (`silence` has a finer threshold). */
export const SYSLOG_SILENCE_MS = 24 * 3_600_000;

/**
 * One JSON lines file per device (the events as stored, a `syslog/2` one as the `syslog/1` event it
 * stands for: syslog-export.ts), and the volume per device per day.
 */
export async function syslogSection(input: SectionInput): Promise<SyslogSection> {
  const { ctx, bundle, range, warnings } = input;
  const { facts, streams } = await openLogGroup(input, 'syslog');
  const section: SyslogSection = { present: false, group: facts, devices: [], perDay: new Map(), total: 0 };
  if (streams === undefined) return section;
  section.present = true;
  for (const stream of streams) {
    const query = { service: 'syslog' as const, streams: [stream], from: range.from, to: range.to };
    const path = `syslog/${safeName(stream)}.jsonl`;
    const out = await bundle.open(path, ctx.source.provenance(query));
    const device: SyslogDevice = { device: stream, events: 0, file: path };
    const days = new Map<string, number>();
    let currentDay = '';
    let dayStart = 0;
    let dayEnd = 0;
    for await (const event of ctx.source.events(query)) {
      await out.row(exportedMessage('syslog', event) + '\n');
      device.events++;
      device.first ??= event.timestamp;
      device.last = event.timestamp;
      if (event.timestamp >= dayEnd || event.timestamp < dayStart) {
        currentDay = dayOf(event.timestamp);
        dayStart = Date.parse(`${currentDay}T00:00:00.000Z`);
        dayEnd = dayStart + 86_400_000;
      }
      days.set(currentDay, (days.get(currentDay) ?? 0) + 1);
      if ((device.events & 4095) === 0) ctx.progress.update(`syslog ${stream}: ${count(device.events)} events`);
    }
    await out.close();
    section.total += device.events;
    section.devices.push(device);
    section.perDay.set(stream, days);
    if (device.events === 0) warnings.push(`syslog: device ${stream} sent nothing in the range`);
    else if (Math.min(range.to, ctx.now) - device.last! > SYSLOG_SILENCE_MS) {
      warnings.push(`syslog: device ${stream} went silent: last event ${new Date(device.last!).toISOString()}`);
    }
  }
  settleLogGroup(input, facts, section.total);
  const rows = [csvLine(['device', 'day', 'events'])];
  for (const [device, days] of section.perDay) {
    for (const [day, n] of [...days].sort()) rows.push(csvLine([device, day, n]));
  }
  await bundle.put('syslog/volume-per-day.csv', rows.join(''), { derivedFrom: section.devices.map((d) => d.file) }, rows.length - 1);
  return section;
}
