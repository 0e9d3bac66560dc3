// NETSIDECAR_SYSLOG_PARSE_WORKERS: `auto` gives a second parse worker only when it has a core of its
// own; a number forces the count; anything else stops the start with the variable named.
import t from 'tap';
import { loadConfig } from '@netsidecar/config';
import { parseWorkerCount, syslogVariables } from '@netsidecar/syslog';

const load = (value?: string) =>
  loadConfig(syslogVariables, { ownPrefix: 'NETSIDECAR_SYSLOG_', env: value === undefined ? {} : { NETSIDECAR_SYSLOG_PARSE_WORKERS: value } })
    .NETSIDECAR_SYSLOG_PARSE_WORKERS;

t.test('auto by default: one worker on 1 or 2 cores, two from 3 cores (the reading thread keeps one)', async (t) => {
  t.equal(load(), 'auto');
  t.equal(load('auto'), 'auto');
  t.same(
    [1, 2, 3, 4, 64].map((cores) => parseWorkerCount('auto', cores)),
    [1, 1, 2, 2, 2],
  );
});

t.test('a number forces the count, whatever the cores; 0 parses on the reading thread', async (t) => {
  t.equal(parseWorkerCount(load('2'), 2), 2);
  t.equal(parseWorkerCount(load('1'), 8), 1);
  t.equal(parseWorkerCount(load('0'), 8), 0);
});

t.test('anything else is refused with the variable named', async (t) => {
  for (const bad of ['two', '-1', '65', '1.5']) t.throws(() => load(bad), /NETSIDECAR_SYSLOG_PARSE_WORKERS/, bad);
});
