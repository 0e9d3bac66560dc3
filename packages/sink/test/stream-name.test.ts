// toLogStreamName: the one rule for stream names, for every service and sink. What CloudWatch
// accepts (no `:` or `*`, at most 512 characters), bounded at 255, distinct long names distinct.
import t from 'tap';
import { MAX_STREAM_NAME_CHARS, toLogStreamName } from '@netsidecar/sink';

t.test('ordinary names are kept; unsafe characters become _ as they always have', async (t) => {
  t.equal(toLogStreamName('rtr-tyo-1'), 'rtr-tyo-1');
  t.equal(toLogStreamName('sw%1.example.net'), 'sw%1.example.net');
  t.equal(toLogStreamName('2001:db8::1'), '2001_db8__1', 'IPv6 sources: the names written so far');
  t.equal(toLogStreamName('a*b/c\\d\u0000e\u001ff\u007fg'), 'a_b_c_d_e_f_g');
  t.equal(toLogStreamName('東京-rtr-😀'), '東京-rtr-😀', 'letters of any script and whole surrogate pairs are kept');
  t.equal(toLogStreamName('lone\ud800x\udc00'), 'lone_x_', 'a surrogate without its pair has no UTF-8 form');
  t.equal(toLogStreamName(''), '_');
  t.equal(toLogStreamName('.'), '_.');
  t.equal(toLogStreamName('..'), '_..');
});

t.test('a name longer than 255 characters: its start, ~ and a hash of the whole name', async (t) => {
  t.equal(MAX_STREAM_NAME_CHARS, 255);
  const exact = 'h'.repeat(255);
  t.equal(toLogStreamName(exact), exact, '255 characters are kept');
  const long = toLogStreamName('h'.repeat(600));
  t.equal(long.length, 255);
  t.match(long, /^h{222}~[0-9a-f]{32}$/);
  t.equal(toLogStreamName('h'.repeat(600)), long, 'the same name, the same stream');
  t.not(toLogStreamName('h'.repeat(601)), long, 'distinct long names, distinct streams');
  t.not(toLogStreamName(`${'h'.repeat(300)}:x`), toLogStreamName(`${'h'.repeat(300)}_x`), 'beyond the bound the hash tells even those apart');
  const emoji = toLogStreamName('a' + '😀'.repeat(200));
  t.ok(emoji.length <= 255);
  t.notOk(/[\ud800-\udbff]~/.test(emoji), 'never half a surrogate pair before the hash');
  for (const name of [long, emoji, toLogStreamName(':'.repeat(1000))]) t.notOk(/[:*]/.test(name), 'nothing CloudWatch refuses');
});
