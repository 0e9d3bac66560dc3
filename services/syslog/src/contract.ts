// The syslog event contract as its readers (the audit CLI, deploy's query tests, the bench) import it:
// `@netsidecar/syslog/contract`. syslog/1 is event.ts; syslog/2 and the rules between them are in contract/
// (services/syslog/README.md, "The events"). Nothing here depends on the rest of the service but the
// syslog/1 type and the facility/severity keywords.

export { FACILITY_NAMES, SEVERITY_NAMES } from './parser/pri.js';
export { SYSLOG_SCHEMA, type StructuredData, type SyslogEvent } from './event.js';
export { SYSLOG2_PREFIX, SYSLOG2_VERSION, isSyslog2Message, type Syslog2Event } from './contract/syslog2.js';
export type { LineFields } from './contract/line-fields.js';
export { rebuildRaw, styleOfLayout, timeTextOf, type LayoutLetter } from './contract/layouts.js';
export { renderTime, styleOf, type TimeStyle } from './contract/time-styles.js';
export { compactVendor, expandVendor } from './contract/vendor.js';
export { encodeSyslog2, type LineFormat, type Syslog2Options } from './contract/encode.js';
export { expandSyslog2, rawOf, syslogMessageAsVersion1, timestampRawOf } from './contract/expand.js';
