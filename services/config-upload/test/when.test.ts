// who/when: the stamp of each vendor's volatile line, read with the zone the same configuration
// declares (Cisco `clock timezone` and `clock summer-time`, Junos `time-zone`, Arista and IOS-XR
// regions, MikroTik `time-zone-name`), and `whenZone` saying how the UTC time was fixed.
import t from 'tap';
import { declaredZone, normalise, resolveWhen } from '@netsidecar/config-upload';

const at = (text: string) => {
  const { when, whenZone } = normalise(text);
  return { when, whenZone };
};

t.test('stamps that say their zone: explicit', async (t) => {
  const cases: [string, string][] = [
    ['22:58:01 UTC Sun Nov 22 2026', '2026-11-22T22:58:01.000Z'],
    ['*22:58:01.123 GMT Sun Nov 22 2026', '2026-11-22T22:58:01.123Z'],
    ['2026-11-22 22:58:01 UTC', '2026-11-22T22:58:01.000Z'],
    ['Sun Nov 22 22:58:01 2026 UTC', '2026-11-22T22:58:01.000Z'],
    ['Sun Nov 22 22:58:01 UTC 2026', '2026-11-22T22:58:01.000Z'],
    ['2026-11-23 07:58:01 +0900', '2026-11-22T22:58:01.000Z'],
    ['2026-11-23T07:58:01+09:00', '2026-11-22T22:58:01.000Z'],
    ['2026-11-22 19:28:01 -03:30', '2026-11-22T22:58:01.000Z'],
    ['2026-11-22T22:58:01Z', '2026-11-22T22:58:01.000Z'],
    ['07:58:01 UTC+9 Mon Nov 23 2026', '2026-11-22T22:58:01.000Z'],
    ['Feb-20-2018-21-57-46.530-UTC', '2018-02-20T21:57:46.530Z'],
  ];
  for (const [raw, when] of cases) {
    t.same(resolveWhen(raw, null), { when, whenZone: 'explicit' }, raw);
    // The stamp wins over whatever the configuration declares.
    t.same(resolveWhen(raw, { kind: 'fixed', name: 'JST', offsetMinutes: 540, summer: null }), { when, whenZone: 'explicit' }, `${raw} with JST declared`);
  }
});

t.test('Cisco IOS: clock timezone and clock summer-time', async (t) => {
  const ios = (declarations: string[], stamp: string) => [...declarations, `! Last configuration change at ${stamp} by alice`, 'hostname r1', ''].join('\n');
  t.same(at(ios(['clock timezone JST 9 0'], '07:58:01 JST Mon Nov 23 2026')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' }, 'JST 9 0');
  t.same(at(ios(['clock timezone CET 1'], '23:58:01 CET Sun Nov 22 2026')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' }, 'no minutes');
  t.same(at(ios(['clock timezone PST -8 0'], '14:58:01 PST Sun Nov 22 2026')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' }, 'a negative offset');
  t.same(
    at(ios(['clock timezone NST -3 30'], '19:28:01 NST Sun Nov 22 2026')),
    { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' },
    'negative, with minutes',
  );
  t.same(at(ios(['clock timezone IST 5 30'], '04:28:01 IST Mon Nov 23 2026')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' }, 'minutes');
  const cet = ['clock timezone CET 1 0', 'clock summer-time CEST recurring last Sun Mar 2:00 last Sun Oct 3:00'];
  t.same(at(ios(cet, '12:00:00 CEST Wed Jul 1 2026')), { when: '2026-07-01T10:00:00.000Z', whenZone: 'declared' }, 'the summer-time name: one hour more');
  t.same(at(ios(cet, '12:00:00 CET Thu Jan 1 2026')), { when: '2026-01-01T11:00:00.000Z', whenZone: 'declared' }, 'the standard name');
  const lordHowe = ['clock timezone LHST 10 30', 'clock summer-time LHDT recurring 1 Sun Oct 2:00 1 Sun Apr 2:00 30'];
  t.same(
    at(ios(lordHowe, '12:00:00 LHDT Thu Jan 1 2026')),
    { when: '2026-01-01T01:00:00.000Z', whenZone: 'declared' },
    'the declared summer offset (30 minutes)',
  );
  t.same(at(ios(['clock timezone JST 9 0'], '07:58:01 KST Mon Nov 23 2026')), { when: null, whenZone: null }, 'a name the configuration does not declare');
  t.same(at(ios([], '07:58:01 JST Mon Nov 23 2026')), { when: null, whenZone: null }, 'an abbreviation alone is never read as UTC');
  t.same(at(ios(['clock timezone JST 99 0'], '07:58:01 JST Mon Nov 23 2026')), { when: null, whenZone: null }, 'an impossible offset');
  t.same(at(ios([], '22:58:01 UTC Tue Feb 31 2026')), { when: null, whenZone: null }, 'an impossible date');
  t.same(normalise(ios(['clock timezone JST 9 0'], '07:58:01 JST Mon Nov 23 2026')).whenRaw, '07:58:01 JST Mon Nov 23 2026');
});

t.test('NX-OS, IOS-XR and Arista: local stamps without a zone', async (t) => {
  const nxos = (declarations: string[], stamp: string) =>
    [
      '!Command: show running-config',
      `!Running configuration last done at: ${stamp}`,
      '!Time: Sun Nov 22 23:00:00 2026',
      'hostname nx-1',
      ...declarations,
      '',
    ].join('\n');
  t.same(at(nxos(['clock timezone JST 9 0'], 'Mon Nov 23 07:58:01 2026')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' });
  t.same(at(nxos([], 'Sun Nov 22 22:58:01 2026')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'assumed-utc' }, 'no zone declared: read as UTC, and said so');
  const pacific = ['clock timezone PST -8 0', 'clock summer-time PDT 2 Sunday March 02:00 1 Sunday November 02:00 60'];
  t.same(at(nxos(pacific, 'Wed Jul 1 12:00:00 2026')), { when: '2026-07-01T19:00:00.000Z', whenZone: 'declared' }, 'in summer time by the rule');
  t.same(at(nxos(pacific, 'Thu Jan 1 12:00:00 2026')), { when: '2026-01-01T20:00:00.000Z', whenZone: 'declared' }, 'in standard time by the rule');
  t.same(
    at(nxos(pacific, 'Sun Mar 8 03:30:00 2026')),
    { when: '2026-03-08T10:30:00.000Z', whenZone: 'declared' },
    'just after the change (second Sunday of March 2026)',
  );
  t.same(at(nxos(pacific, 'Sun Mar 8 01:30:00 2026')), { when: '2026-03-08T09:30:00.000Z', whenZone: 'declared' }, 'just before');
  t.same(
    at(nxos(['clock timezone PST -8 0', 'clock summer-time PDT sometimes'], 'Wed Jul 1 12:00:00 2026')),
    { when: null, whenZone: null },
    'a rule that cannot be read: either offset may apply',
  );

  const xr = (declarations: string[], stamp: string) =>
    ['Mon Nov 23 08:00:00.000 JST', `!! Last configuration change at ${stamp} by xradmin`, 'hostname xr-1', ...declarations, ''].join('\n');
  t.same(
    at(xr(['clock timezone JST Asia/Tokyo'], 'Mon Nov 23 07:58:01 2026')),
    { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' },
    'IOS-XR: a name and a region',
  );
  const eastern = ['clock timezone EST -5', 'clock summer-time EDT recurring'];
  t.same(at(xr(eastern, 'Wed Jul 1 12:00:00 2026')), { when: '2026-07-01T16:00:00.000Z', whenZone: 'declared' }, '`recurring` alone: the United States rules');
  t.same(at(xr(eastern, 'Sun Nov 22 12:00:00 2026')), { when: '2026-11-22T17:00:00.000Z', whenZone: 'declared' });
  const dated = ['clock timezone CET 1 0', 'clock summer-time CEST date 29 Mar 2026 2:00 25 Oct 2026 3:00'];
  t.same(at(xr(dated, 'Wed Jul 1 12:00:00 2026')), { when: '2026-07-01T10:00:00.000Z', whenZone: 'declared' }, '`date` rules');
  t.same(at(xr(dated, 'Mon Nov 2 12:00:00 2026')), { when: '2026-11-02T11:00:00.000Z', whenZone: 'declared' });
  t.same(
    at(xr(['clock timezone Somewhere Nowhere/City'], 'Mon Nov 23 07:58:01 2026')),
    { when: null, whenZone: null },
    'an unreadable declaration: never assumed UTC',
  );

  const eos = (declarations: string[]) =>
    ['! Command: show running-config', '! Startup-config last modified at  Wed Jul 1 12:00:00 2026 by aadmin', 'hostname sw-1', ...declarations, ''].join('\n');
  t.same(
    at(eos(['clock timezone Europe/Berlin'])),
    { when: '2026-07-01T10:00:00.000Z', whenZone: 'declared' },
    'Arista: an IANA region, summer time from the zone database',
  );
  t.same(at(eos(['clock timezone Japan'])), { when: '2026-07-01T03:00:00.000Z', whenZone: 'declared' }, 'an IANA alias');
  t.same(at(eos([])), { when: '2026-07-01T12:00:00.000Z', whenZone: 'assumed-utc' });
});

t.test('Junos: time-zone in system, curly or set', async (t) => {
  const curly = (zone: string, stamp: string) =>
    [`## Last commit: ${stamp} by jadmin`, 'version 23.2R1.13;', 'system {', '    host-name rtr-osa-1;', `    time-zone ${zone};`, '}', ''].join('\n');
  t.same(at(curly('Asia/Tokyo', '2026-11-23 07:58:01 JST')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' });
  t.same(
    at(curly('Europe/Berlin', '2026-10-25 02:30:00 CEST')),
    { when: '2026-10-25T00:30:00.000Z', whenZone: 'declared' },
    'the repeated hour: the earlier instant',
  );
  t.same(at(curly('GMT-9', '2026-11-23 07:58:01 +09')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'explicit' }, 'a numeric zone in the stamp');
  const posix = declaredZone(curly('GMT-9', '2026-11-23 07:58:01 +09'));
  t.same(posix, { kind: 'region', name: null, region: 'Etc/GMT-9' }, 'GMT-9 is POSIX: nine hours ahead of UTC');
  t.same(resolveWhen('2026-11-23 07:58:01', posix), { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' });
  t.same(at(curly('Asia/Tokyo', '2026-11-22 22:58:01 UTC')), { when: '2026-11-22T22:58:01.000Z', whenZone: 'explicit' });
  const set = [
    '## Last commit: 2026-07-01 12:00:00 CEST by jadmin',
    'set version 23.2R1.13',
    'set system host-name rtr-osa-1',
    'set system time-zone Europe/Berlin',
    '',
  ].join('\n');
  t.same(at(set), { when: '2026-07-01T10:00:00.000Z', whenZone: 'declared' });
  t.same(at('## Last commit: 2026-11-23 07:58:01 JST by jadmin\nsystem {\n    host-name r;\n}\n'), { when: null, whenZone: null }, 'JST and nothing declared');
});

t.test('MikroTik: time-zone-name for the export header (local time)', async (t) => {
  t.same(
    at('# 2026-11-23 07:58:01 by RouterOS 7.15.3\n# software id = ABCD-0000\n/system clock\nset time-zone-name=Asia/Tokyo\n/system identity\nset name=mt-1\n'),
    { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' },
  );
  t.same(
    at('# nov/23/2026 07:58:01 by RouterOS 6.49.10\n/system clock set time-zone-name=Asia/Tokyo\n'),
    { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' },
    'RouterOS 6 dates, one-line form',
  );
  t.same(
    at(
      '# 2026-11-23 07:58:01 by RouterOS 7.15.3\n/system clock\nset time-zone-autodetect=no time-zone-name=manual\n/system clock manual\nset time-zone=+09:00\n/system identity\nset name=mt-1\n',
    ),
    { when: '2026-11-22T22:58:01.000Z', whenZone: 'declared' },
    'a manual offset',
  );
  t.same(
    at('# 2026-11-23 07:58:01 by RouterOS 7.15.3\n/system clock\nset time-zone-name=manual\n/system clock manual\nset dst-delta=+01:00 time-zone=+01:00\n'),
    { when: null, whenZone: null },
    'a manual offset with its own summer time',
  );
  t.same(at('# 2026-11-22 22:58:01 by RouterOS 7.15.3\n/system identity\nset name=mt-1\n'), { when: '2026-11-22T22:58:01.000Z', whenZone: 'assumed-utc' });
});
