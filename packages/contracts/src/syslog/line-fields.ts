import type { StructuredData } from './syslog1.js';

/**
 * The fields a line is rebuilt from and vendor fields are derived from, as both versions hold
 * them: `syslog/1` writes null where `syslog/2` leaves the key out, so both read alike here.
 */
export interface LineFields {
  facility: number | null;
  severity: number | null;
  priDefaulted?: true;
  timestamp?: string | null;
  timestampRaw?: string | null;
  host?: string | null;
  app?: string | null;
  procId?: string | null;
  msgId?: string | null;
  message: string;
  structuredData?: StructuredData | null;
  vendor?: Record<string, unknown> | null;
}
