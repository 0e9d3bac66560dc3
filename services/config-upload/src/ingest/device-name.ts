import { UploadError } from '../errors.js';

export interface DeviceFromName {
  device: string;
  /** Time found in the name, ISO, when the convention fixes its zone (Junos: UTC). */
  when: string | null;
  whenRaw: string | null;
}

const deviceNameRe = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * A filename is data, never a path: one name, no separators, no `..`, no NUL. The store only ever
 * sees the validated device name.
 */
export function checkFilename(name: string): string {
  if (name === '' || name.length > 255 || /[/\\\0]/.test(name) || name === '.' || name.includes('..') || /^[A-Za-z]:/.test(name)) {
    throw new UploadError('invalid_filename');
  }
  return name;
}

export function checkDevice(device: string): string {
  if (!deviceNameRe.test(device)) throw new UploadError('invalid_device');
  return device;
}

const junosRe = /^(.+?)_juniper\.conf(?:\.\d+)?(?:\.gz)?_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/;
const months = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
// IOS `archive path ...$h-$t` gives R4-Feb-20-2018-21-57-46.530-UTC-5 (older releases omit the year).
const ciscoArchiveRe = new RegExp(`^(.+?)-((?:${months})-[ -]?\\d{1,2}-(?:\\d{4}-)?\\d{1,2}-\\d{2}-\\d{2}(?:\\.\\d+)?(?:-[A-Za-z]+)?)-\\d+$`);
const ciscoVersionRe = /^(.+?)-\d{1,5}$/;
// Config file extensions (Junos `set` files too), `.gz` on top of any, and the IOS/NX-OS file names.
const extensionRe = /(?:\.gz)$|(?:\.(?:cfg|conf|config|set|txt|rsc|log|xml))$|(?:[-_](?:confg|running-config|startup-config|config))$/i;

/** The name without its config extensions: `rtr-1.conf.gz` → `rtr-1`, `sw-1_running-config.txt` → `sw-1`. */
export function withoutExtensions(name: string): string {
  let stem = name;
  for (let i = 0; i < 4 && extensionRe.test(stem); i++) stem = stem.replace(extensionRe, '');
  return stem;
}

/**
 * The device a filename names, by the senders' conventions (README "Receiving"); null when the
 * name gives none (then the principal is the device).
 */
export function deviceFromFilename(filename: string, options: { ciscoArchive?: boolean } = {}): DeviceFromName | null {
  const junos = junosRe.exec(filename);
  if (junos) {
    const [, host = '', y, mo, d, h, mi, s] = junos;
    return { device: host.replace(/-re[01]$/, ''), when: `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`, whenRaw: `${y}${mo}${d}_${h}${mi}${s}` };
  }
  const archive = ciscoArchiveRe.exec(filename);
  if (archive) return { device: archive[1]!, when: null, whenRaw: archive[2]! };
  const stem = withoutExtensions(filename);
  if (stem === filename && options.ciscoArchive) {
    // `path .../$h` alone: IOS appends -N. Only for IOS's own client (User-Agent cisco-IOS): from
    // anyone else `rtr-1` is a device whose name ends in digits.
    const version = ciscoVersionRe.exec(stem);
    if (version) return { device: version[1]!, when: null, whenRaw: null };
  }
  return stem === '' ? null : { device: stem, when: null, whenRaw: null };
}
