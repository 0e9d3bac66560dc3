// The syslog event contract as its readers (the audit CLI, deploy's query tests, the bench) and its
// writer (services/syslog) share it. syslog/1 is syslog1.ts; syslog/2 and the rules between them are
// the other files (services/syslog/README.md, "The events"). Pure functions of strings: no I/O.

export { FACILITY_NAMES, SEVERITY_NAMES } from './names.js';
export { SYSLOG_SCHEMA, type StructuredData, type SyslogEvent } from './syslog1.js';
export { SYSLOG2_PREFIX, SYSLOG2_VERSION, isSyslog2Message, type Syslog2Event } from './syslog2.js';
export type { LineFields } from './line-fields.js';
export { rebuildRaw, styleOfLayout, timeTextOf, type LayoutLetter } from './layouts.js';
export { renderTime, styleOf, type TimeStyle } from './time-styles.js';
export { compactVendor, expandVendor } from './vendor.js';
export { encodeSyslog2, type LineFormat, type Syslog2Options } from './encode.js';
export { expandSyslog2, rawOf, syslogMessageAsVersion1, timestampRawOf } from './expand.js';
