import t from 'tap';
import { Registry } from 'prom-client';
import { HotCounter } from '../src/index.js';

t.test('what a hot counter counts is what /metrics and get() publish', async (t) => {
  const registry = new Registry();
  const received = new HotCounter(registry, 'test_received_total', 'Received', ['transport']);
  const udp = received.labels('udp');
  received.labels('tcp');
  for (let i = 0; i < 1000; i++) udp.inc();
  received.inc({ transport: 'tcp' }, 5);
  const text = await registry.metrics();
  t.match(text, /test_received_total\{transport="udp"\} 1000\n/);
  t.match(text, /test_received_total\{transport="tcp"\} 5\n/);
  // A second read moves nothing twice.
  udp.inc(2);
  const values = (await received.counter.get()).values;
  t.same(values.map((v) => [v.labels.transport, v.value]).sort(), [
    ['tcp', 5],
    ['udp', 1002],
  ]);
  t.match(await registry.metrics(), /test_received_total\{transport="udp"\} 1002\n/);
});

t.test('a label combination is visible at 0 before anything is counted', async (t) => {
  const registry = new Registry();
  new HotCounter(registry, 'test_parsed_total', 'Parsed', ['format']).labels('rfc5424');
  t.match(await registry.metrics(), /test_parsed_total\{format="rfc5424"\} 0\n/);
});

t.test('a counter without labels', async (t) => {
  const registry = new Registry();
  const unparsed = new HotCounter(registry, 'test_unparsed_total', 'Unparsed');
  const cell = unparsed.labels();
  cell.inc();
  cell.inc();
  t.match(await registry.metrics(), /test_unparsed_total 2\n/);
});
