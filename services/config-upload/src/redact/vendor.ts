export const vendors = ['cisco-ios', 'cisco-nxos', 'cisco-iosxr', 'junos', 'arista-eos', 'mikrotik', 'fortios', 'panos', 'f5', 'unknown'] as const;
export type Vendor = (typeof vendors)[number];

/**
 * The vendor from the content alone (the name and the sender say little). Ordered from the most
 * specific marker to the least; the first 64 KiB is plenty: every marker sits near the top.
 * PAN-OS: its XML (`<config version=...>` with `<mgt-config>`/`<deviceconfig>`) or its `set`
 * form (`set deviceconfig ...`, `set mgt-config ...`); F5: `bigip.conf` / `tmsh list` (its
 * `#TMSH-VERSION:` header, or top-level `ltm|sys|auth|net ... {` blocks).
 */
export function detectVendor(text: string): Vendor {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  if (/^#config-version=|^config system global\b/m.test(head)) return 'fortios';
  if (/^<config version=|^\s*<(?:mgt-config|deviceconfig)>|^set (?:deviceconfig|mgt-config) /m.test(head)) return 'panos';
  if (/^#TMSH-VERSION: |^(?:ltm|sys|auth|net|gtm|apm) [a-z-]+ (?:\S+ )?\{ *$/m.test(head)) return 'f5';
  if (/by RouterOS\b|^# software id = |^\/(?:interface|ip|system|user|routing) /m.test(head)) return 'mikrotik';
  if (/^## Last (?:commit|changed): |^version [^\s;]+;|^system \{|^set system host-name /m.test(head)) return 'junos';
  if (/^! device: .*\bEOS|^! Startup-config last modified|^daemon TerminAttr|^management api http-commands/m.test(head)) return 'arista-eos';
  if (/^!! IOS XR Configuration|^!! Last configuration change/m.test(head)) return 'cisco-iosxr';
  if (/^!Command: show running-config|^!Running configuration last done|^feature [a-z-]+$/m.test(head)) return 'cisco-nxos';
  if (/^version \d+\.\d+|^! Last configuration change at |^Building configuration\.\.\.|^hostname \S+$/m.test(head)) return 'cisco-ios';
  return 'unknown';
}
