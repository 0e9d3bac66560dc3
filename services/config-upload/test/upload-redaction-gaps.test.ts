// A secret in a command no vendor rule knows, through the real service: the value is nowhere the
// service writes (store, event, log, read API), the config/1 event names the command's shape in
// `redactionGaps`, and the operational log carries one warning naming it, without the value.
import t from 'tap';
import { curl, startTestUpload, users } from './support/harness.js';

const router = `${users.router.name}:${users.router.password}`;
const auditor = `${users.auditor.name}:${users.auditor.password}`;

t.test('a gap is redacted, reported in the event and logged once, never with its value', async (t) => {
  const up = await startTestUpload(t);
  const config = [
    'version 17.9',
    'hostname rtr-gap-1',
    'enable secret 9 $9$PlantGapEnable$Hash',
    'snmp-server host 10.0.0.9 vrf MGMT newoption PlantGapOpt version 2c PlantGapComm',
    'frobnicate widget password PlantGapUnknown',
    'end',
    '',
  ].join('\n');
  const r = await curl(['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-gap-1`], config);
  t.equal(r.status, 201);
  const [event] = (await up.events('rtr-gap-1')).filter((e) => e.schema === 'config/1');
  t.same(event!.redactionGaps, ['* * password *', 'snmp-server host * vrf * * * version 2c *']);
  t.match(event!.redactionsByKind, { 'enable-secret': 1, unclassified: 6 });
  const warnings = up.logs.filter((l) => l.msg === 'redaction gaps: values redacted blindly');
  t.equal(warnings.length, 1, 'one warning per upload');
  t.match(warnings[0], { device: 'rtr-gap-1', version: 1, vendor: 'cisco-ios', shapes: event!.redactionGaps });
  const stored = await curl([`http://${auditor}@127.0.0.1:${up.service.port}/api/devices/rtr-gap-1/versions/1`]);
  t.match(
    stored.body,
    /^snmp-server host <redacted:\w{8}> vrf <redacted:\w{8}> <redacted:\w{8}> <redacted:\w{8}> version 2c <redacted:\w{8}>$/m,
    'keywords kept, every other word tagged',
  );
  const everything = (await up.everythingWritten()) + up.logText() + stored.body + r.body;
  t.notOk(/Plant/.test(everything), 'no planted value in the store, the events, the log or the API');

  // A config every rule knows: no gap, no warning.
  await curl(
    ['--data-binary', '@-', '-H', 'Content-Type: text/plain', `http://${router}@127.0.0.1:${up.service.port}/configs/rtr-gap-2`],
    'hostname rtr-gap-2\nsnmp-server community PlantKnown RO\nend\n',
  );
  const [clean] = (await up.events('rtr-gap-2')).filter((e) => e.schema === 'config/1');
  t.same(clean!.redactionGaps, []);
  t.equal(up.logs.filter((l) => l.msg === 'redaction gaps: values redacted blindly').length, 1);
});
