import t from 'tap';
import { FrameDecoder } from '../src/frame-decoder.js';

function decoder(max = 1024) {
  const frames: string[] = [];
  const problems: string[] = [];
  const d = new FrameDecoder(max, { frame: (f) => frames.push(f.toString('utf8')), problem: (p) => problems.push(p) });
  return { d, frames, problems };
}

t.test('octet-counting: frames split anywhere across chunks, including inside the length', async (t) => {
  const wire = Buffer.from('10 <13>hello\n11 <13>wor ld\n\n3 abc');
  for (let split = 1; split < wire.length; split++) {
    const { d, frames, problems } = decoder();
    t.ok(d.push(wire.subarray(0, split)));
    t.ok(d.push(wire.subarray(split)));
    d.end();
    t.same(frames, ['<13>hello\n', '<13>wor ld\n', 'abc'], `split at ${split}`);
    t.same(problems, []);
    t.equal(d.framing, 'octet');
  }
});

t.test('LF framing: CRLF and LF, blank lines skipped, last line without LF kept at close', async (t) => {
  const { d, frames, problems } = decoder();
  d.push(Buffer.from('<13>one\r\n<13>tw'));
  d.push(Buffer.from('o\n\n<13>three'));
  t.same(frames, ['<13>one', '<13>two']);
  d.end();
  t.same(frames, ['<13>one', '<13>two', '<13>three']);
  t.same(problems, []);
  t.equal(d.framing, 'lf');
});

t.test('an octet count above the limit closes the connection with message_too_large', async (t) => {
  const { d, frames, problems } = decoder(100);
  t.ok(d.push(Buffer.from('5 <13>a')));
  t.notOk(d.push(Buffer.from('99999999999999999999 <13>b')));
  t.same(frames, ['<13>a']);
  t.same(problems, ['message_too_large']);
  t.notOk(d.push(Buffer.from('5 <13>c')), 'stays closed');
});

t.test('a count that is not a number is a framing error', async (t) => {
  const { d, problems } = decoder();
  t.notOk(d.push(Buffer.from('12x<13>hello')));
  t.same(problems, ['framing_error']);
});

t.test('a connection that ends inside an octet-counted frame counts truncated_frame', async (t) => {
  const { d, frames, problems } = decoder();
  d.push(Buffer.from('20 <13>short'));
  d.end();
  t.same(frames, []);
  t.same(problems, ['truncated_frame']);
});

t.test('an over-long LF line is counted once and skipped up to its LF; memory stays bounded', async (t) => {
  const { d, frames, problems } = decoder(16);
  d.push(Buffer.from('<13>ok\n'));
  for (let i = 0; i < 100; i++) d.push(Buffer.from('x'.repeat(1000)));
  d.push(Buffer.from('tail\n<13>after\n'));
  t.same(frames, ['<13>ok', '<13>after']);
  t.same(problems, ['message_too_large']);
});
