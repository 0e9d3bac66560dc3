// The NTP service as `npm start` runs it off AWS (NETSIDECAR_NTP_UPSTREAM=local: this machine's own
// clock, refid LOCL), then the evidence page of what it wrote. The service calls itself
// "synchronised"; the page must say it followed no trusted source, name the source with its
// stratum and refid, and never print 100 %.
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '@netsidecar/audit';
import { eventually } from '@netsidecar/test-support/eventually';
import { spawnService } from './support/spawn-service.js';

t.test('evidence of an NTP service following its own clock', async (t) => {
  const ntp = await spawnService(t, 'services/ntp-proxy/src/main.ts', {
    NETSIDECAR_NTP_UPSTREAM: 'local',
    NETSIDECAR_NTP_BIND_ADDRESS: '127.0.0.1',
    NETSIDECAR_NTP_PORT: '0',
    NETSIDECAR_NTP_HEALTH_PORT: '0',
    NETSIDECAR_SINK_FLUSH_INTERVAL: '100ms',
  });
  await ntp.waitForLog('listening');
  // A status event (synchronised, following `local`) and a sample, as the service writes them.
  await eventually(
    async () => {
      const upstream = (await ntp.fileEvents('netsidecar/ntp')).get('upstream') ?? [];
      return upstream.some((e) => e.type === 'status' && e.synchronised === true) && upstream.some((e) => e.type === 'upstream_sample');
    },
    { timeoutMs: 20_000, what: 'status and sample events in the file sink' },
  );
  t.equal(await ntp.stop(), 0, 'drained and stopped');

  const out = join(ntp.dataDir, 'bundle');
  const stdout = new PassThrough();
  let stderr = '';
  const now = Date.now();
  const code = await main({
    argv: ['evidence', '--from', new Date(now - 600_000).toISOString(), '--to', new Date(now + 60_000).toISOString(), '--out', out, '--data-dir', ntp.dataDir],
    env: {},
    stdout,
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    now: () => now,
  });
  t.equal(code, 0, stderr);
  const md = await readFile(join(out, 'summary.md'), 'utf8');
  const manifest = JSON.parse(await readFile(join(out, 'MANIFEST.json'), 'utf8')) as { warnings: string[] };
  t.match(
    md,
    /\*\*NOT A TRUSTED SOURCE: the NTP service followed upstream 'local', this machine's own clock \(stratum 9, refid LOCL; served as stratum 10\) from /,
  );
  t.match(md, /\| local \(this machine's clock\) \| \S+ – \S+ \| 9 \| LOCL \| 10 \| \d+ \(\d+\) \|/);
  t.notMatch(md, /100\.000 %/, 'never "100 % synchronised"');
  t.ok(
    manifest.warnings.some((w) => w.startsWith('ntp: NOT SYNCHRONISED TO A TRUSTED SOURCE from ') && w.includes('refid LOCL')),
    'a finding',
  );
});
