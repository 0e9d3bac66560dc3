// Field by field as another client library reads them: python3-ntplib (Debian), v3 and v4.
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startFakeUpstream } from './support/fake-upstream.js';
import { clientOffsetToleranceS, startTestNtpWithIo, udpIoModes } from './support/harness.js';

// Debian's python3 (the one python3-ntplib is installed for), not whatever python3 is first on PATH.
const python = '/usr/bin/python3';
const run = promisify(execFile);

const script = `
import json, sys, ntplib
port = int(sys.argv[1])
out = []
for version in (3, 4):
    r = ntplib.NTPClient().request('127.0.0.1', version=version, port=port, timeout=5)
    out.append({k: getattr(r, k) for k in ('leap', 'version', 'mode', 'stratum', 'poll', 'precision', 'root_delay', 'root_dispersion', 'ref_id', 'ref_timestamp', 'orig_timestamp', 'recv_timestamp', 'tx_timestamp', 'dest_timestamp', 'offset', 'delay')})
print(json.dumps(out))
`;

// Under each way of reading and answering UDP (NETSIDECAR_NTP_UDP_IO): T2 and T3 are taken differently.
for (const io of udpIoModes) {
  t.test(`${io}: ntplib reads every field as RFC 5905 means it`, async (t) => {
    const upstream = await startFakeUpstream(t, { stratum: 1, rootDelayS: 0.001, rootDispersionS: 0.002 });
    const ntp = await startTestNtpWithIo(t, io, { NETSIDECAR_NTP_UPSTREAM: upstream.address }, { burstCount: 1 });
    await ntp.until(() => ntp.service.reference.state().synchronised, 'synchronised');
    const { stdout } = await run(python, ['-c', script, String(ntp.service.port)]);
    const [v3, v4] = JSON.parse(stdout) as Record<string, number>[];
    for (const [version, reply] of [
      [3, v3!],
      [4, v4!],
    ] as const) {
      t.equal(reply.version, version, `v${version}: version echoed`);
      t.equal(reply.mode, 4, `v${version}: mode 4 (server)`);
      t.equal(reply.leap, 0);
      t.equal(reply.stratum, 2, 'upstream stratum 1 + 1');
      t.equal(reply.ref_id, 0x7f000001, 'refid: the upstream’s IPv4 address, 127.0.0.1');
      t.ok(reply.precision! <= -10 && reply.precision! >= -30);
      // Upper bounds catch a misread 16.16 field (65,536× off), not load: the path delay to the
      // upstream is measured, and a busy 2-core CI machine gave 54 ms.
      t.ok(reply.root_delay! > 66 / 65536 && reply.root_delay! < 1, `root delay ${reply.root_delay} s: upstream’s 1 ms + the path`);
      t.ok(
        reply.root_dispersion! > 131 / 65536 && reply.root_dispersion! < 1,
        `root dispersion ${reply.root_dispersion} s: above upstream’s (0.002 s as 131/65536)`,
      );
      t.ok(reply.recv_timestamp! <= reply.tx_timestamp!, 'T2 ≤ T3');
      t.ok(reply.ref_timestamp! <= reply.recv_timestamp! && reply.recv_timestamp! - reply.ref_timestamp! < 60, 'reference time: recent, not in the future');
      // ntplib puts its own T1 in the request: the origin must come back as it was sent, and sit before T4.
      t.ok(reply.orig_timestamp! <= reply.dest_timestamp!, 'origin is the client’s T1');
      t.ok(Math.abs(reply.offset!) < clientOffsetToleranceS, `offset ${reply.offset} s (same machine)`);
      t.ok(reply.delay! >= 0 && reply.delay! < 1, `delay ${reply.delay} s`);
    }
    t.equal(v3!.poll, v4!.poll, 'poll echoed (ntplib sends the same both times)');
  });
}
