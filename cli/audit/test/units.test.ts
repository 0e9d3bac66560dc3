import t from 'tap';
import { splitMessage } from '@netsidecar/contracts';
import { csvCell } from '../src/output/csv.js';
import { joinParts } from '../src/parts-joiner.js';
import { parseTime } from '../src/time-range.js';
import { parseInsightsTime } from '../src/source/insights.js';
import type { AuditEvent } from '../src/event.js';

const NOW = Date.parse('2026-03-10T00:00:00.000Z');

async function collect(events: AuditEvent[], maxHeld?: number) {
  const stats = { joined: 0, incomplete: 0 };
  const out: AuditEvent[] = [];
  async function* source() {
    yield* events;
  }
  for await (const e of joinParts(source(), stats, maxHeld)) out.push(e);
  return { out, stats };
}

t.test('joinParts: joined in place of the first part, in any order, duplicates once', async (t) => {
  const big = JSON.stringify({ schema: 'syslog/1', message: 'é'.repeat(3000) });
  const parts = splitMessage(big, 1000, 'id-1');
  t.ok(parts.length > 3);
  const ev = (message: string, stream = 's'): AuditEvent => ({ stream, timestamp: 5, message });
  const shuffled = [parts[1]!, parts[0]!, ...parts.slice(2), parts[1]!];
  const { out, stats } = await collect([ev('a'), ev(shuffled[0]!), ev('b'), ...shuffled.slice(1).map((p) => ev(p)), ev('c')]);
  t.same(
    out.map((e) => e.message),
    ['a', big, 'b', 'c'],
  );
  t.same(stats, { joined: 1, incomplete: 0 });
});

t.test('joinParts: missing parts are passed on raw and counted, never dropped or held forever', async (t) => {
  const parts = splitMessage('x'.repeat(5000), 1000, 'id-2');
  const ev = (message: string): AuditEvent => ({ stream: 's', timestamp: 1, message });
  const atEnd = await collect([ev(parts[0]!), ev('a'), ev(parts[2]!)]);
  t.same(
    atEnd.out.map((e) => e.message),
    [parts[0], parts[2], 'a'],
    'the raw parts together, where the first was',
  );
  t.same(atEnd.stats, { joined: 0, incomplete: 1 });
  const bounded = await collect([ev(parts[0]!), ev('a'), ev('b'), ev('c'), ev('d')], 2);
  t.equal(bounded.out[0]!.message, parts[0], 'released once more than maxHeld events wait behind it');
  t.equal(bounded.out.length, 5);
});

t.test('CSV cells', async (t) => {
  t.equal(csvCell('plain'), 'plain');
  t.equal(csvCell('a,b'), '"a,b"');
  t.equal(csvCell('say "hi"\n'), '"say ""hi""\n"');
  t.equal(csvCell('=1+1'), "'=1+1");
  t.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  t.equal(csvCell('-2.71'), '-2.71', 'a number in text stays a number');
  t.equal(csvCell(-2.71), '-2.71');
  t.equal(csvCell(null), '');
  t.equal(csvCell({ a: 1 }), '"{""a"":1}"');
});

t.test('times', async (t) => {
  t.equal(parseTime('--from', '2026-03-01', NOW), Date.parse('2026-03-01T00:00:00Z'));
  t.equal(parseTime('--from', '2026-03-01T12:00:00+09:00', NOW), Date.parse('2026-03-01T03:00:00Z'));
  t.equal(parseTime('--from', '30d', NOW), NOW - 30 * 86_400_000);
  t.equal(parseTime('--from', 'now', NOW), NOW);
  t.throws(() => parseTime('--from', '2026-02-30', NOW), { code: 'AUDIT_USAGE' });
  t.throws(() => parseTime('--from', 'yesterday', NOW), { code: 'AUDIT_USAGE' });
  t.equal(parseInsightsTime('2026-03-01 00:00:01.250'), Date.parse('2026-03-01T00:00:01.250Z'));
});
