import { type Test } from 'tap';
import { parseSyslog, type ParseFormat, type ReceiveContext, type StructuredData } from '../../src/parser/index.js';
import { checkSyslog2 } from '../syslog2-check.js';
import { compareEncoders } from '../native-check.js';

/** Every corpus line is "received" at this instant, so year inference and zones are deterministic. */
export const RECEIVED_AT = new Date('2026-11-22T14:00:05Z');

export const CTX: ReceiveContext = { receivedAt: RECEIVED_AT, sourceIp: '203.0.113.5', sourcePort: 51514, transport: 'udp' };

/** One line as a sender puts it on the wire, and what the event must say about it. */
export interface CorpusCase {
  /** Named after the sender and its configuration, as vector names its syslog fixtures. */
  name: string;
  line: string;
  /** When the line is received (ISO); defaults to RECEIVED_AT. The clock of year inference. */
  receivedAt?: string;
  /** Defaults to `rfc3164`, or `rfc5424` when the line starts `<PRI>1 `. */
  format?: ParseFormat;
  facility: number | null;
  severity: number | null;
  /** Only for a line without a valid PRI; the event must then carry `priDefaulted: true`. */
  priDefaulted?: true;
  host: string | null;
  app: string | null;
  procId?: string | null;
  msgId?: string | null;
  timestamp: string | null;
  timestampRaw?: string | null;
  message: string;
  structuredData?: StructuredData | null;
  /** Compared whole: an unexpected vendor field fails the test. */
  vendor: Record<string, unknown> | null;
}

/**
 * One subtest per line; also checks what every event owes the contract (raw, JSON round trip), and
 * that its `syslog/2` form loses nothing: read back, it is the `syslog/1` event byte for byte, `raw`
 * included (stored, or rebuilt from the fields).
 */
export function runCorpus(t: Test, cases: readonly CorpusCase[]): void {
  const names = new Set<string>();
  for (const c of cases) {
    t.notOk(names.has(c.name), `corpus name ${c.name} is unique`);
    names.add(c.name);
    t.test(c.name, async (t) => {
      const ctx = c.receivedAt === undefined ? CTX : { ...CTX, receivedAt: new Date(c.receivedAt) };
      const { event, format } = parseSyslog(Buffer.from(c.line, 'utf8'), ctx);
      const expectedFormat = c.format ?? (/^<\d{1,3}>1 /.test(c.line) ? 'rfc5424' : 'rfc3164');
      t.equal(format, expectedFormat, 'format');
      t.equal(event.facility, c.facility, 'facility');
      t.equal(event.severity, c.severity, 'severity');
      t.equal(event.priDefaulted, c.priDefaulted, 'priDefaulted');
      t.equal('priDefaulted' in event, c.priDefaulted === true, 'priDefaulted present only when it applies');
      t.equal(event.host, c.host, 'host');
      t.equal(event.app, c.app, 'app');
      if (c.procId !== undefined) t.equal(event.procId, c.procId, 'procId');
      if (c.msgId !== undefined) t.equal(event.msgId, c.msgId, 'msgId');
      t.equal(event.timestamp, c.timestamp, 'timestamp');
      if (c.timestampRaw !== undefined) t.equal(event.timestampRaw, c.timestampRaw, 'timestampRaw');
      t.equal(event.message, c.message, 'message');
      if (c.structuredData !== undefined) t.same(event.structuredData, c.structuredData, 'structuredData');
      t.same(event.vendor, c.vendor, 'vendor');
      t.equal(event.raw, c.line, 'raw is the line as received');
      t.notOk('rawBase64' in event, 'no rawBase64 for valid UTF-8');
      t.same(JSON.parse(JSON.stringify(event)), event, 'survives JSON');
      const v2 = checkSyslog2(Buffer.from(c.line, 'utf8'), ctx);
      t.ok(v2.v2, 'written as syslog/2');
      t.equal(v2.expanded, v2.v1, 'syslog/2 read back is the syslog/1 event');
      t.equal(v2.expandedFromFile, v2.v1, 'also from the file sink form (receivedAt in the event)');
      t.equal(v2.raw, c.line, v2.layout ? `raw rebuilt with layout ${v2.layout}` : 'raw stored');
      const line = Buffer.from(c.line, 'utf8');
      const both = compareEncoders([
        { line, receivedAt: ctx.receivedAt.getTime(), sourceIp: ctx.sourceIp, sourcePort: ctx.sourcePort, transport: ctx.transport },
      ]);
      t.same(both.native, both.typescript, both.accepted ? 'the C encoder writes the same event' : 'left to TypeScript by the C encoder');
    });
  }
}
