// The stdout sink's writeLines: the pipe may hold the bytes after the call returns, and the caller
// (the syslog parse pool) reuses its buffer at once, so what reaches the pipe must be a copy.
import t from 'tap';
import { Writable } from 'node:stream';
import { createRegistry } from '@netsidecar/telemetry';
import { StdoutSink } from '@netsidecar/sink';

t.test("stdout sink: lines written while the pipe is stalled come out as given, whatever the caller's buffer holds by then", async (t) => {
  const chunks: string[] = [];
  const held: (() => void)[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // Read when the pipe takes the chunk, which is after the caller has reused its buffer.
      held.push(() => {
        chunks.push(chunk.toString());
        done();
      });
    },
  });
  const sink = new StdoutSink({ registry: createRegistry('test'), out });
  const reused = Buffer.alloc(32);
  for (let n = 0; n < 5; n++) {
    const length = reused.write(`{"n":${n}}\n`);
    sink.writeLines({ logGroup: '/g', logStream: 's', lines: reused.subarray(0, length), events: 1 });
    reused.fill(0x78);
  }
  while (held.length > 0) {
    held.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.same(chunks, ['{"n":0}\n', '{"n":1}\n', '{"n":2}\n', '{"n":3}\n', '{"n":4}\n']);
  await sink.close(Date.now() + 1_000);
});
