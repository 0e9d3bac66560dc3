export { parseSyslog, type ParseFormat, type ReceiveContext } from './parse-syslog.js';
export { FACILITY_NAMES, SEVERITY_NAMES, SYSLOG_SCHEMA, type StructuredData, type SyslogEvent } from '@netsidecar/contracts';
