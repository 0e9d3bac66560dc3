import { declaredZone, type DeclaredZone } from './declared-zone.js';
import { regionWallToUtc } from './region-time.js';
import { parseStamp } from './stamp.js';

/**
 * How a `when` was fixed in UTC:
 * - `explicit`: the stamp says so itself (UTC, GMT, Z, or a numeric offset), or its sender's
 *   convention does (the Junos archive file name is UTC);
 * - `declared`: a local stamp converted with the zone the configuration declares;
 * - `assumed-utc`: a local stamp in a configuration that declares no zone, read as UTC (the
 *   devices' default zone);
 * - null when `when` is null.
 */
export type WhenZone = 'explicit' | 'declared' | 'assumed-utc';

export interface When {
  when: string | null;
  whenZone: WhenZone | null;
}

const unknown: When = { when: null, whenZone: null };

/**
 * A raw stamp (`whenRaw`) as an ISO UTC time, using the zone the configuration declares for the
 * stamps that are local. A zone abbreviation is only understood when the configuration declares it
 * (`clock timezone JST 9 0` for `JST`, `clock summer-time CEST ...` for `CEST`), or when the
 * configuration declares an IANA region (the device prints that region's abbreviations): an
 * abbreviation alone does not name an offset (IST, CST), and is never read as UTC.
 */
export function resolveWhen(raw: string, zone: DeclaredZone | null): When {
  const stamp = parseStamp(raw);
  if (stamp === null) return unknown;
  const { wall } = stamp;
  if (stamp.zone?.kind === 'utc') return at(wall, 'explicit');
  if (stamp.zone?.kind === 'offset') return at(wall - stamp.zone.minutes * 60_000, 'explicit');
  if (zone === null) return stamp.zone === null ? at(wall, 'assumed-utc') : unknown;
  if (zone.kind === 'unreadable') return unknown;
  if (zone.kind === 'region') {
    const utc = regionWallToUtc(wall, zone.region);
    return utc === null ? unknown : at(utc, 'declared');
  }
  // A fixed offset, with or without summer time.
  const { offsetMinutes, summer } = zone;
  let summerNow: boolean;
  if (stamp.zone !== null) {
    // The stamp names its zone: it is the standard or the summer one the configuration declares, or unknown.
    if (stamp.zone.name === zone.name) summerNow = false;
    else if (summer !== null && stamp.zone.name === summer.name) summerNow = true;
    else return unknown;
  } else if (summer === null) {
    summerNow = false;
  } else if (summer.isSummer !== null) {
    summerNow = summer.isSummer(wall);
  } else {
    return unknown; // local time under a summer-time rule we cannot read: either offset may apply
  }
  return at(wall - (offsetMinutes + (summerNow ? summer!.offsetMinutes : 0)) * 60_000, 'declared');
}

function at(utc: number, whenZone: WhenZone): When {
  return { when: new Date(utc).toISOString(), whenZone };
}

/** The candidates in order of preference: the first fixed by the stamp or a declared zone, else the first assumed UTC. */
export function bestWhen(candidates: (When & { whenRaw: string | null })[]): When & { whenRaw: string | null } {
  const found = candidates.filter((c) => c.when !== null);
  return found.find((c) => c.whenZone !== 'assumed-utc') ?? found[0] ?? { ...unknown, whenRaw: candidates.find((c) => c.whenRaw !== null)?.whenRaw ?? null };
}

/**
 * The time a file name gives (ingest/device-name.ts): the Junos archive name's is UTC by its
 * convention; an IOS archive name's (`Nov-22-2026-22-58-01.123-JST`) is read with the zone `text` declares.
 */
export function whenOfName(name: { when: string | null; whenRaw: string | null } | null, text: string): When & { whenRaw: string | null } {
  if (name === null || name.whenRaw === null) return { ...unknown, whenRaw: null };
  if (name.when !== null) return { when: name.when, whenZone: 'explicit', whenRaw: name.whenRaw };
  return { ...resolveWhen(name.whenRaw, declaredZone(text)), whenRaw: name.whenRaw };
}
