/**
 * A reference source: something the service can ask for a sample. Either an upstream NTP server
 * (through the SNTP client) or, for `npm start` off AWS, this machine's own wall clock.
 */
import { refIdFromAddress, refIdFromAscii } from '../packet/refid.js';
import { unixNsToNtp } from '../packet/ntp-time.js';
import type { Clock } from '../clock/clock.js';
import { readWallClockTick } from '../clock/wall-clock-tick.js';
import type { SntpClient, QueryResult } from './sntp-client.js';
import type { UpstreamServer } from './server-list.js';

export interface ReferenceSource {
  /** `169.254.169.123:123`, or `local`. */
  readonly label: string;
  /** The reference ID clients get while this source is selected. */
  readonly refId: number;
  readonly local: boolean;
  query(): Promise<QueryResult>;
}

export function serverSource(server: UpstreamServer, client: SntpClient): ReferenceSource {
  return {
    label: server.label,
    refId: refIdFromAddress(server.address),
    local: false,
    query: () => client.query(server),
  };
}

export interface LocalSourceOptions {
  /** The raw clock the offset is measured against. */
  raw: Clock;
  /** The system wall clock in ms (Date.now). */
  wallClockMs?: () => number;
  /** The stratum to serve (chrony's `local stratum`, 10 by default): the sample says one less. */
  stratum: number;
  precision: number;
}

/**
 * This machine's wall clock as the reference (refid LOCL): each "sample" measures how far the raw
 * clock is from `Date.now()`, read as it ticks over (wall-clock-tick.ts), so the served clock follows
 * the system clock when the machine's own NTP steps or slews it.
 */
export function localSource(options: LocalSourceOptions): ReferenceSource {
  const wallClockMs = options.wallClockMs ?? Date.now;
  return {
    label: 'local',
    refId: refIdFromAscii('LOCL'),
    local: true,
    query: async () => {
      const tick = readWallClockTick(wallClockMs, () => options.raw.nowNs());
      const rawNs = tick.counterNs;
      const wallNs = BigInt(tick.wallMs) * 1_000_000n;
      return {
        ok: true,
        sample: {
          atNs: rawNs,
          offsetNs: wallNs - rawNs,
          delayNs: 0n,
          dispersionS: 2 * 2 ** options.precision + Number(tick.uncertaintyNs) / 1e9,
          leap: 0,
          stratum: options.stratum - 1,
          precision: options.precision,
          rootDelayS: 0,
          rootDispersionS: 0,
          refId: refIdFromAscii('LOCL'),
          referenceTimestamp: unixNsToNtp(wallNs),
        },
      };
    },
  };
}
