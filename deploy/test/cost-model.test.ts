// The cost model's formula (deploy/scripts/cost-model.mjs), line by line on small numbers one can
// check by hand, and the table committed in deploy/README.md is its output for the reference estate.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { costModel, prices, referenceEstate, table } from '../scripts/cost-model.mjs';
import { deployDir } from './support.js';

const GB = 1024 ** 3;
const line = (name: string, result = costModel()) => result.lines.find((l) => l.line === name)!.usd;

t.test('CloudWatch ingestion: events × (bytes + 26) at the per-GB price, per log group', async (t) => {
  // 1 router, 1 message/s, 1,000 bytes: 86,400 × 30.4 events a month.
  const one = { ...referenceEstate, routers: 1, syslogPerSecond: 1, syslogBytes: 1000 };
  const events = 86_400 * 30.4;
  t.equal(line('CloudWatch Logs ingestion: syslog', costModel(one)), ((events * 1026) / GB) * 0.5);
  t.equal(prices.logsEventOverheadBytes.usd, 26, 'the 26 bytes CloudWatch counts per event (bench/RESULTS.md)');
  // Linear in the bytes per event plus the 26: syslog/2 (397 B) against syslog/1 (797 B).
  const version1 = costModel({ ...referenceEstate, syslogBytes: 797 });
  const full = costModel();
  t.equal(referenceEstate.syslogBytes, 397, 'the default event, syslog/2 (bench/RESULTS-syslog2.md)');
  t.ok(Math.abs(line('CloudWatch Logs ingestion: syslog', full) / line('CloudWatch Logs ingestion: syslog', version1) - (397 + 26) / (797 + 26)) < 1e-9);
});

t.test('Firehose: each record rounded up to 5 KB; S3 and CloudWatch storage on the GZIP bytes', async (t) => {
  // 1 router, 1 message/s of 100 bytes: one record a second of 12 GZIP bytes, billed 5 KB each.
  const tiny = costModel({ ...referenceEstate, routers: 1, syslogPerSecond: 1, syslogBytes: 100, gzipRatio: 0.12 });
  const records = 86_400 * 30.4;
  const otherGroups = costModel({ ...referenceEstate, routers: 1, syslogPerSecond: 0, syslogBytes: 100 });
  t.ok(Math.abs(tiny.firehoseGB - otherGroups.firehoseGB - (records * 5 * 1024) / GB) < 1e-6, 'syslog records billed at 5 KB each');
  t.equal(tiny.compressedGB, tiny.rawGB * 0.12);
  t.equal(line('CloudWatch Logs storage', tiny), tiny.compressedGB * 13 * 0.03);
});

t.test('every price names what it is and whether it was checked; the region and date are stated', async (t) => {
  t.equal(prices.region, 'us-east-1');
  t.match(prices.date, /^\d{4}-\d{2}$/);
  for (const [name, price] of Object.entries(prices)) {
    if (typeof price !== 'object') continue;
    t.ok(price.usd > 0 && price.what.length > 10 && typeof price.verified === 'boolean', name);
  }
});

t.test('deploy/README.md holds the table the script prints for the reference estate', async (t) => {
  const readme = readFileSync(join(deployDir, 'README.md'), 'utf8');
  t.ok(readme.includes(table(costModel())), 'reference estate, syslog/2 (the default) bytes');
  t.ok(
    readme.includes(table(costModel({ ...referenceEstate, syslogBytes: 797 }), { ...referenceEstate, syslogBytes: 797 })),
    'the same estate with syslog/1 events',
  );
});

t.test('the shared spool: every syslog and config event written once to EFS, message + frame bytes, at the Elastic per-GB price', async (t) => {
  // 1 router, 1 message/s of 1,000 bytes, no config uploads: (1,000 + 56) bytes a second.
  const one = { ...referenceEstate, routers: 1, syslogPerSecond: 1, syslogBytes: 1000, configUploadsPerDay: 0 };
  t.equal(referenceEstate.spoolFrameOverheadBytes, 56, 'frame header 8 + fixed 21 + /netsidecar/syslog 18 + a 9-character stream');
  t.equal(line('EFS spool writes (Elastic throughput)', costModel(one)), ((86_400 * 30.4 * 1056) / GB) * prices.efsElasticWritePerGB.usd);
  // Config events count too; ntp and scan events do not (their spools stay on task storage).
  const withConfig = costModel({ ...one, configUploadsPerDay: 10 });
  const configShare = line('EFS spool writes (Elastic throughput)', withConfig) - line('EFS spool writes (Elastic throughput)', costModel(one));
  t.ok(Math.abs(configShare - ((10 * 30.4 * (referenceEstate.configBytes + 56)) / GB) * 0.06) < 1e-12, `config events: ${configShare}`);
  t.equal(line('EFS spool writes (Elastic throughput)', costModel({ ...one, syslogPerSecond: 0 })), 0, 'no ntp or scan bytes');
});
