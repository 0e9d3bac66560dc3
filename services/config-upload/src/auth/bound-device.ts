import type { Principal } from './users-file.js';

/**
 * The one device a principal may upload, when its globs name exactly one device and no wildcard
 * (`rtr-tyo-1`, not `rtr-tyo-*`): that principal is one router's, so every upload it makes is that
 * router's, whatever the file is called. Null for a principal of several devices.
 */
export function boundDevice(principal: Pick<Principal, 'globs'>): string | null {
  const names = new Set(principal.globs);
  if (names.size !== 1) return null;
  const [only = ''] = names;
  return /[*?]/.test(only) ? null : only;
}
