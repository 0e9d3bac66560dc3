import t from 'tap';
import { createLogger } from '@netsidecar/telemetry';

t.test('writes one JSON line per call with bindings and fields, honours the level', async (t) => {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', write: (l) => lines.push(l), now: () => new Date(0) }).child({ service: 'syslog' });
  log.debug('hidden');
  log.warn('sink slow', { queued: 3, err: Object.assign(new Error('boom'), { code: 'ECONNRESET' }) });
  t.equal(lines.length, 1);
  t.same(JSON.parse(lines[0]!), {
    time: '1970-01-01T00:00:00.000Z',
    level: 'warn',
    service: 'syslog',
    msg: 'sink slow',
    queued: 3,
    err: { name: 'Error', message: 'boom', code: 'ECONNRESET' },
  });
});
