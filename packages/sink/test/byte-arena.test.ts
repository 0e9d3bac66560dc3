// The file sink's copies of writeLines' bytes: each copy stays as it was given until its chunk is
// recycled, and a recycled chunk is used again instead of a new one.
import t from 'tap';
import { ByteArena } from '../src/file/byte-arena.js';

t.test('copies are independent of the source, back to back in a chunk, and a recycled chunk is reused', async (t) => {
  const arena = new ByteArena(16, 4);
  const source = Buffer.from('abcdefgh');
  const first = arena.copy(source.subarray(0, 4));
  const second = arena.copy(source.subarray(4, 8));
  source.fill(0);
  t.equal(Buffer.from(first).toString(), 'abcd');
  t.equal(Buffer.from(second).toString(), 'efgh');
  t.equal(first.buffer, second.buffer, 'one chunk holds both');
  const third = arena.copy(Buffer.from('0123456789'));
  t.not(third.buffer, first.buffer, 'a copy that does not fit starts a new chunk');
  const sealed = arena.seal();
  t.equal(sealed.length, 2, 'the two chunks filled since the last seal');
  const afterSeal = arena.copy(Buffer.from('x'));
  t.notOk(
    sealed.some((chunk) => chunk.buffer === afterSeal.buffer),
    'after a seal, copies go to another chunk than the sealed ones',
  );
  arena.recycle(sealed);
  t.equal(Buffer.from(third).toString(), '0123456789', 'recycling a chunk does not touch it');
  arena.seal();
  const reused = arena.copy(Buffer.from('0123456789abcdef'));
  t.ok(
    sealed.some((chunk) => chunk.buffer === reused.buffer),
    'a new chunk comes from the recycled ones',
  );
});

t.test('a copy larger than a chunk gets its own buffer; recycling keeps at most maxSpareChunks', async (t) => {
  const arena = new ByteArena(8, 1);
  const big = arena.copy(Buffer.from('0123456789'));
  t.equal(Buffer.from(big).toString(), '0123456789');
  t.equal(big.byteLength, 10);
  arena.copy(Buffer.from('aaaaaaaa'));
  arena.copy(Buffer.from('bbbbbbbb'));
  const sealed = arena.seal();
  t.equal(sealed.length, 2);
  arena.recycle(sealed);
  const one = arena.copy(Buffer.from('cccccccc'));
  const two = arena.copy(Buffer.from('dddddddd'));
  t.ok(
    sealed.some((chunk) => chunk.buffer === one.buffer),
    'one spare reused',
  );
  t.notOk(
    sealed.some((chunk) => chunk.buffer === two.buffer),
    'the other was not kept',
  );
});
