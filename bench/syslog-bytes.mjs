// What one message costs in CloudWatch Logs ingestion, per event format: mean bytes per event over
// the bench corpus (lib/corpus.mjs, the UDP/TCP load: 20,000 Cisco IOS / Junos lines, 100 devices,
// seed 42), as the syslog service's own encoder writes them for the CloudWatch sink, beside a
// forwarder that ships each line as it came. Counting bytes, not a load benchmark: it needs no quiet
// machine and runs in a few seconds.
//
//   npx tsc -b services/syslog && node bench/syslog-bytes.mjs [--markdown]
//
// CloudWatch bills each event's message bytes plus a fixed overhead; the price and the overhead are
// the deploy cost model's (deploy/scripts/cost-model.mjs), read from it so the two cannot differ.
import { parseArgs } from 'node:util';
import { prices } from '../deploy/scripts/cost-model.mjs';
import { EventEncoder, eventEncoding, parseSyslog } from '@netsidecar/syslog';
import { buildCorpus } from './lib/corpus.mjs';

const usdPerGB = prices.logsIngestPerGB.usd;
const GB = 1024 ** 3;
const eventOverheadBytes = prices.logsEventOverheadBytes.usd;

const { values: opts } = parseArgs({ options: { markdown: { type: 'boolean', default: false } } });

// A fixed instant, so that two runs count the same bytes (dates are part of the lines).
const when = new Date('2026-11-22T14:00:00.000Z');
const corpus = buildCorpus({ lines: 20_000, devices: 100, seed: 42, when });
const context = { receivedAt: new Date(when.getTime() + 5), sourceIp: '10.20.30.40', sourcePort: 51514, transport: 'udp' };

const cloudWatch = (schema) => new EventEncoder(eventEncoding(schema, 'cloudwatch'));
const formats = [
  { name: 'raw-line forwarder (the line as received, nothing parsed)', bytes: (line) => line.length },
  {
    name: 'syslog/1 (`NETSIDECAR_SYSLOG_SCHEMA=1`)',
    bytes: (
      (e) => (line) =>
        Buffer.byteLength(e.encode(line, context).message)
    )(cloudWatch(1)),
  },
  {
    name: 'syslog/2 (`NETSIDECAR_SYSLOG_SCHEMA=2`, the default)',
    bytes: (
      (e) => (line) =>
        Buffer.byteLength(e.encode(line, context).message)
    )(cloudWatch(2)),
  },
];

const lines = corpus.lines.map((line) => Buffer.from(line));
// The encoder's syslog/1 is exactly what the parser's event prints as: checked, not assumed.
const v1 = cloudWatch(1);
for (const line of lines.slice(0, 100)) {
  if (v1.encode(line, context).message !== JSON.stringify(parseSyslog(line, context).event)) throw new Error('syslog/1 encoding differs from the parsed event');
}

const rows = formats.map((f) => {
  let total = 0;
  for (const line of lines) total += f.bytes(line);
  const mean = total / lines.length;
  const usdPerMillion = (1e6 * (mean + eventOverheadBytes) * usdPerGB) / GB;
  return { name: f.name, mean, billed: mean + eventOverheadBytes, usdPerMillion };
});
const v1Row = rows[1];

if (opts.markdown) {
  console.log('| event | mean bytes per event | billed bytes (+26) | vs syslog/1 (billed) | USD per million messages |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.mean.toFixed(1)} | ${r.billed.toFixed(1)} | ${((100 * r.billed) / v1Row.billed).toFixed(1)} % | ${r.usdPerMillion.toFixed(4)} |`,
    );
  }
} else {
  console.log(JSON.stringify({ lines: lines.length, meanLineBytes: corpus.meanBytes, usdPerGB, rows }, null, 2));
}
