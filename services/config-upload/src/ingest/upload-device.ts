import { boundDevice } from '../auth/bound-device.js';
import { matchesAny } from '../auth/glob.js';
import type { Principal } from '../auth/users-file.js';
import { UploadError } from '../errors.js';
import { checkDevice, deviceFromFilename, withoutExtensions, type DeviceFromName } from './device-name.js';

export interface UploadDevice {
  device: string;
  /** `principal` when no filename named the device, or the principal is bound to one device. */
  deviceFrom: 'filename' | 'principal';
  /** What the filename said (its time stamp is used when the text has none), or null. */
  fromName: DeviceFromName | null;
}

/**
 * Which device's history an upload joins (README "Receiving"). A principal bound to one device
 * (boundDevice) always writes that device's history: a filename that names the same device with a
 * suffix (`.set`, `-3`, `.cfg.7`) maps to it, so a router never gets a second history from a file
 * name; a filename that names another device is refused (403 `device_not_allowed`). Any other
 * principal gets the device its filename names, else its own name, within its globs.
 */
export function uploadDevice(filename: string | null, principal: Principal, options: { ciscoArchive: boolean }): UploadDevice {
  const fromName = filename === null ? null : deviceFromFilename(filename, options);
  const bound = boundDevice(principal);
  if (bound !== null && (fromName === null || namesDevice(fromName.device, bound))) {
    return { device: checkDevice(bound), deviceFrom: 'principal', fromName };
  }
  const device = checkDevice(fromName?.device ?? principal.name);
  if (!matchesAny(principal.devices, device)) throw new UploadError('device_not_allowed');
  return { device, deviceFrom: fromName ? 'filename' : 'principal', fromName };
}

/** `stem` is `device`, or `device` with version suffixes (`-3`, `_3`, `.3`) and extensions around them. */
function namesDevice(stem: string, device: string): boolean {
  let name = stem;
  for (let i = 0; i < 4; i++) {
    if (name === device) return true;
    const shorter = withoutExtensions(name.replace(/[-_.]\d{1,5}$/, ''));
    if (shorter === name) return false;
    name = shorter;
  }
  return name === device;
}
