// NETSIDECAR_SYSLOG_PARSE_WORKERS: `auto` gives a second parse worker from the start only when it has a
// core of its own, else only for stream senders; a number fixes the count; anything else stops the start with the variable named.
import t from 'tap';
import { loadConfig } from '@netsidecar/config';
import { parseWorkerCount, syslogVariables } from '@netsidecar/syslog';

const load = (value?: string) =>
  loadConfig(syslogVariables, { ownPrefix: 'NETSIDECAR_SYSLOG_', env: value === undefined ? {} : { NETSIDECAR_SYSLOG_PARSE_WORKERS: value } })
    .NETSIDECAR_SYSLOG_PARSE_WORKERS;

t.test('auto by default: two workers from 3 cores (the reading thread keeps one); on 2 cores one, and a second for stream senders', async (t) => {
  t.equal(load(), 'auto');
  t.equal(load('auto'), 'auto');
  t.same(
    [1, 2, 3, 4, 64].map((cores) => parseWorkerCount('auto', cores)),
    [
      { workers: 1, maxWorkers: 1 },
      { workers: 1, maxWorkers: 2 },
      { workers: 2, maxWorkers: 2 },
      { workers: 2, maxWorkers: 2 },
      { workers: 2, maxWorkers: 2 },
    ],
  );
});

t.test('a number fixes the count, whatever the cores and the load; 0 parses on the reading thread', async (t) => {
  t.same(parseWorkerCount(load('2'), 2), { workers: 2, maxWorkers: 2 });
  t.same(parseWorkerCount(load('1'), 8), { workers: 1, maxWorkers: 1 });
  t.same(parseWorkerCount(load('0'), 8), { workers: 0, maxWorkers: 0 });
});

t.test('anything else is refused with the variable named', async (t) => {
  for (const bad of ['two', '-1', '65', '1.5']) t.throws(() => load(bad), /NETSIDECAR_SYSLOG_PARSE_WORKERS/, bad);
});
