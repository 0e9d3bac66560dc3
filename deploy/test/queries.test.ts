// Each saved query and metric filter pattern, run on events the services' own code produced (syslog
// encoder, both contract versions, NTP event writer, the real config-upload service, scan event builders) with the Logs
// Insights evaluator of @netsidecar/test-support.
import t from 'tap';
import { runInsightsQuery, type InsightsEvent } from '@netsidecar/test-support';
import { filterPatterns } from '../src/metrics.js';
import { archiveQueries } from '../src/archive-queries.js';
import { savedQueries, type SavedQuery } from '../src/queries.js';
import { configEvents, ntpEvents, scanEvents, syslogEvents, syslogLines } from './events.js';
import { compileJsonFilterPattern } from './json-filter-pattern.js';

const peers = ['169.254.100.1', '169.254.100.5', '169.254.100.9'];
const queries = new Map(savedQueries({ directConnectBgpPeers: peers }).map((q) => [q.name, q]));
const others: InsightsEvent[] = [...ntpEvents(), ...scanEvents()];
const schemas = [1, 2] as const;
const events: InsightsEvent[] = [...syslogEvents(1), ...others];

function run(name: string, extra: readonly InsightsEvent[] = [], on: readonly InsightsEvent[] = events) {
  const query = queries.get(name) as SavedQuery;
  if (!query) throw new Error(`no saved query ${name}`);
  return runInsightsQuery(query.query, [...on, ...extra], { logGroups: query.services.map((s) => `/netsidecar/${s}`) });
}

t.test('every query is tested here', async (t) => {
  t.same([...queries.keys()].sort(), [
    'netsidecar/config/changes-with-diff',
    'netsidecar/config/compliance-failures',
    'netsidecar/config/drifting-from-git',
    'netsidecar/ntp/router-clocks-off',
    'netsidecar/ntp/time-source-changes',
    'netsidecar/scan/image-coverage',
    'netsidecar/scan/new-critical-high-findings',
    'netsidecar/syslog/bgp-direct-connect-peers',
    'netsidecar/syslog/devices-by-last-message',
    'netsidecar/syslog/failed-logins',
    'netsidecar/syslog/interfaces-down',
    'netsidecar/syslog/severity-0-3-by-device',
  ]);
});

// The syslog queries on the events of either contract version, as the service writes them with
// NETSIDECAR_SYSLOG_SCHEMA=1 or 2: the same answers.
for (const schema of schemas) {
  t.test(`syslog/${schema}`, async (t) => {
    const on = [...syslogEvents(schema), ...others];
    t.ok(
      on
        .filter((e) => e.logGroup === '/netsidecar/syslog')
        .every((e) => (schema === 1 ? e.message.startsWith('{"schema":"syslog/1"') : e.message.startsWith('{"v":2,'))),
      `written as syslog/${schema}`,
    );
    t.test('failed logins from Cisco, Junos and sshd', async (t) => {
      const { records } = run('netsidecar/syslog/failed-logins', [], on);
      t.same(records.map((r) => `${r.device} ${r.msgId ?? '-'}`).sort(), ['rtr-osa-2 SSHD_LOGIN_FAILED', 'rtr-tyo-1 SEC_LOGIN-4-LOGIN_FAILED', 'sw-ams-1 -']);
    });

    t.test('BGP changes on the Direct Connect peers only', async (t) => {
      const { records } = run('netsidecar/syslog/bgp-direct-connect-peers', [], on);
      t.same(records.map((r) => r.device).sort(), ['rtr-osa-2', 'rtr-tyo-1', 'sw-ams-1'], 'Cisco, Junos and Arista');
      t.notOk(
        records.some((r) => r.message?.includes('10.77.0.2')),
        'a non-Direct-Connect neighbour is left out',
      );
      // Without configured peers: every BGP change.
      const all = runInsightsQuery(savedQueries({ directConnectBgpPeers: [] }).find((q) => q.name.endsWith('bgp-direct-connect-peers'))!.query, on);
      t.equal(all.records.length, 4);
    });

    t.test('interfaces going down, not up', async (t) => {
      const { records } = run('netsidecar/syslog/interfaces-down', [], on);
      t.same(records.map((r) => `${r.device} ${r.msgId}`).sort(), ['rtr-osa-2 SNMP_TRAP_LINK_DOWN', 'rtr-tyo-1 LINK-3-UPDOWN', 'sw-ams-1 LINEPROTO-5-UPDOWN']);
    });

    t.test('severity 0-3 by device', async (t) => {
      const { records } = run('netsidecar/syslog/severity-0-3-by-device', [], on);
      t.same(
        records.map((r) => `${r.device} ${r.severity} ${r.messages}`).sort(),
        ['10.4.4.4 3 1', 'rtr-tyo-1 3 1', 'sw-ams-1 2 1'], // PRI 11, 187 (err) and 186 (crit); the rest are 4 and up
      );
    });

    t.test('devices by last message, the silent one first', async (t) => {
      const { records } = run('netsidecar/syslog/devices-by-last-message', [], on);
      t.equal(records[0]?.device, '10.4.4.4', 'silent for three hours: on top');
      t.same(
        records.map((r) => r.device),
        ['10.4.4.4', 'rtr-tyo-1', 'rtr-osa-2', 'sw-ams-1'],
      );
    });
  });
}

t.test('ntp: routers whose clock is off, worst first; time source changes', async (t) => {
  const clocks = run('netsidecar/ntp/router-clocks-off').records;
  t.same(
    clocks.map((r) => [r.clientIp, r.warnings, r.worstMs]),
    [
      ['10.1.1.1', '2', '7200.5'],
      ['10.2.2.2', '1', '1500'],
    ],
  );
  const status = run('netsidecar/ntp/time-source-changes').records;
  t.equal(status.length, 1);
  t.equal(status[0]?.reason, 'no valid upstream sample for 3601 s (holdover 3600 s)');
});

t.test('scan: new CRITICAL and HIGH findings only', async (t) => {
  const { records } = run('netsidecar/scan/new-critical-high-findings');
  t.same(records.map((r) => `${r.severity} ${r.vulnerabilityId} ${r.owner}`).sort(), ['CRITICAL CVE-2024-45491 payments', 'HIGH CVE-2024-0001 payments']);
});

t.test('scan: the coverage of every image, as of its newest planning run', async (t) => {
  const { records } = run('netsidecar/scan/image-coverage');
  t.same(
    records.map((r) => [r.owner, r.planId, r.flag ?? 'fresh']).sort(),
    [
      ['data', 'plan-2', 'failing'],
      ['payments', 'plan-2', 'fresh'],
      ['web', 'plan-2', 'never_scanned'],
    ],
    'one row per image; payments-api was stale in plan-1 and is fresh in plan-2; batch scanned recently but failing since',
  );
  t.equal(records.find((r) => r.owner === 'web')?.['openFindings.CRITICAL'], '1');
  t.match(
    records.find((r) => r.owner === 'data'),
    { failingSince: '2026-11-22T08:00:00.000Z', failedAttempts: '5', lastScanErrorCode: 'trivy_timeout' },
    'since when, how many attempts, why',
  );
  t.equal(records.find((r) => r.owner === 'payments')?.failedAttempts, '0');
});

t.test('config: changes with their diff, drift from Git (events of the real upload service)', async (t) => {
  const config = await configEvents(t);
  t.equal(config.length, 3, 'three uploads, three config/1 events');
  const changes = run('netsidecar/config/changes-with-diff', config).records;
  t.same(
    changes.map((r) => `${r.device} v${r.version}`),
    ['rtr-osa-2 v1', 'rtr-tyo-1 v2', 'rtr-tyo-1 v1'],
  );
  t.match(changes.find((r) => r.version === '2')?.diff, /\+ shutdown/, 'the diff of v2');
  const drifting = run('netsidecar/config/drifting-from-git', config).records;
  t.same(
    drifting.map((r) => [r.device, r.status, r.version]),
    [['rtr-tyo-1', 'drifted', '2']],
  );

  // The metric filter behind the ConfigDrift alarm matches that event, and only it.
  const drifted = compileJsonFilterPattern(filterPatterns.configDrifted);
  t.same(
    config.filter((e) => drifted(e.message)).map((e) => JSON.parse(e.message).version),
    [2],
  );
  t.notMatch(config.map((e) => e.message).join('\n'), /\$9\$abcdefghijklmn/, 'secrets are redacted before they reach an event');
});

t.test('config: devices whose latest upload fails a compliance rule (events of the real upload service)', async (t) => {
  const config = await configEvents(t);
  const results = config.map((e) => JSON.parse(e.message) as { device: string; version: number; compliance: { failed: { id: string }[] } });
  t.same(
    results.map((r) => [r.device, r.version, r.compliance.failed.map((f) => f.id)]).sort(),
    [
      ['rtr-osa-2', 1, ['enable-secret-set']],
      ['rtr-tyo-1', 1, ['uplink-shut']],
      ['rtr-tyo-1', 2, []],
    ],
    'what the service decided',
  );
  const failing = run('netsidecar/config/compliance-failures', config).records;
  t.same(
    failing.map((r) => [r.device, r.failedRules, r.version]),
    [['rtr-osa-2', '1', '1']],
    'rtr-tyo-1 failed at v1 but its latest upload passes',
  );
  // Without a rules file the events have `compliance: null`: nothing is listed.
  const unchecked = config.map((e) => ({ ...e, message: JSON.stringify({ ...JSON.parse(e.message), compliance: null }) }));
  t.same(run('netsidecar/config/compliance-failures', unchecked).records, []);
});

t.test('metric filter patterns match the events they count, and nothing else', async (t) => {
  const count = (pattern: string, on = events) => on.filter((e) => compileJsonFilterPattern(pattern)(e.message));
  for (const schema of schemas) {
    const on = [...syslogEvents(schema), ...others];
    t.equal(count(filterPatterns.syslogAll, on).length, syslogLines.length, `every syslog/${schema} event counts for the silent-device metric`);
    const host = (e: InsightsEvent) => (JSON.parse(e.message) as { host?: string | null }).host ?? null;
    t.same(
      [...new Set(count(filterPatterns.syslogAll, on).map(host))].sort(),
      [null, 'rtr-osa-2', 'rtr-tyo-1', 'sw-ams-1'],
      `$.host of syslog/${schema}: the dimension of the silent-device metric`,
    );
  }
  t.same(
    count(filterPatterns.scanNewCriticalHigh)
      .map((e) => JSON.parse(e.message).vulnerabilityId)
      .sort(),
    ['CVE-2024-0001', 'CVE-2024-45491'],
  );
  t.same(
    count(filterPatterns.ntpClientClockWarning).map((e) => JSON.parse(e.message).clientIp),
    ['10.1.1.1', '10.1.1.1', '10.2.2.2'],
  );
  t.throws(() => compileJsonFilterPattern('{ $.a = * }'), 'the pattern reader refuses what it does not know');
});

t.test('archive named queries (Athena): every field they read is one the services write, with the values they compare', async (t) => {
  const written: Record<string, Record<string, unknown>[]> = {
    syslog: [...syslogEvents(1), ...syslogEvents(2)].map((e) => JSON.parse(e.message)),
    ntp: ntpEvents().map((e) => JSON.parse(e.message)),
    config: (await configEvents(t)).map((e) => JSON.parse(e.message)),
  };
  const at = (event: Record<string, unknown>, path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], event);
  const has = (event: Record<string, unknown>, path: string): boolean => {
    const keys = path.split('.');
    const holder = keys.length === 1 ? event : at(event, keys.slice(0, -1).join('.'));
    return typeof holder === 'object' && holder !== null && keys.at(-1)! in holder;
  };
  // Trino's json_extract_scalar gives a JSON true as 'true', a number as its text.
  const scalar = (v: unknown): string | undefined => (v === null || v === undefined || typeof v === 'object' ? undefined : String(v));
  for (const query of archiveQueries()) {
    const events = written[query.service]!;
    t.ok(events.length > 0, `${query.name}: events of ${query.service} to check against`);
    const paths = [...query.query.matchAll(/json_extract_scalar\(line, '\$\.([\w.]+)'\)/g)].map((m) => m[1]!);
    t.ok(paths.length > 0);
    for (const path of new Set(paths)) {
      // A field may be null in these events (`who` without a `! Last configuration change` line): it must exist.
      t.ok(
        events.some((e) => has(e, path)),
        `${query.name}: $.${path} is written by the ${query.service} service`,
      );
    }
    for (const [, path, value] of query.query.matchAll(/json_extract_scalar\(line, '\$\.([\w.]+)'\) = '([^']*)'/g)) {
      t.ok(
        events.some((e) => scalar(at(e, path!)) === value),
        `${query.name}: some event has $.${path} = '${value}'`,
      );
    }
  }
});
