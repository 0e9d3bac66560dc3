export { parseSyslog, type ParseFormat, type ReceiveContext } from './parse-syslog.js';
export { FACILITY_NAMES, SEVERITY_NAMES } from './pri.js';
export type { StructuredData, SyslogEvent } from '../event.js';
export { SYSLOG_SCHEMA } from '../event.js';
