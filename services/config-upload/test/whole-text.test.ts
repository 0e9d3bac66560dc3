// Whole-config texts made outside the V8 heap (src/whole-text.ts): the same characters as the
// ordinary way, whatever the text holds, at every size, through decodeBody, joinText, the
// redactor and normalise.
import t from 'tap';
import { decodeBody, joinText, normalise, Redactor, Tagger } from '@netsidecar/config-upload';

const mb = 1024 * 1024;
/** About `size` characters of IOS config in pieces of one interface each. */
const pieces = (size: number): string[] => {
  const out: string[] = [];
  for (let i = 0, n = 0; n < size; i++) {
    const block = `interface Gi0/${i}\n description port ${i}\n standby 1 authentication md5 key-string hsrp-${i}\n!\n`;
    out.push(block);
    n += block.length;
  }
  return out;
};

t.test('joinText is pieces.join, for small and large texts, ASCII or not', async (t) => {
  const large = pieces(1.2 * mb);
  t.equal(joinText(['a', '', 'b\n']), 'a' + 'b\n');
  t.equal(joinText([]), '');
  t.equal(joinText(large), large.join(''), 'large ASCII');
  // Anything that is not ASCII, anywhere: the first piece, the middle, the very end of the last
  // piece (where the buffer runs out: without its 4 spare bytes, `éx` at the very end would be
  // written as 2 bytes for 2 characters, and the x lost), one 2-, 3- or 4-byte character, a lone surrogate.
  for (const odd of ['é', '€', '😀', '\ud800', 'ÿ', '\u0080']) {
    for (const at of [0, large.length >> 1, large.length - 1]) {
      const p = [...large];
      p[at] = at === large.length - 1 ? `${p[at]}${odd}x` : odd + p[at];
      t.equal(joinText(p), p.join(''), `${JSON.stringify(odd)} in piece ${at}`);
    }
  }
});

t.test('decodeBody reads a large body the same whatever its bytes', async (t) => {
  const ascii = pieces(1.2 * mb).join('');
  t.equal(decodeBody(Buffer.from(ascii), { maxBytes: 16 * mb }).text, ascii, 'ASCII');
  const utf8 = ascii.replace('description port 7', 'description Büro 7 – 東京');
  t.equal(decodeBody(Buffer.from(utf8), { maxBytes: 16 * mb }).text, utf8, 'UTF-8');
  const latin1 = ascii.replace('description port 7', 'description caf\xe9 7');
  t.equal(decodeBody(Buffer.from(latin1, 'latin1'), { maxBytes: 16 * mb }).text, latin1, 'Latin-1 (not UTF-8)');
});

t.test('redaction and normalisation of a large config: secrets replaced, the rest kept, ASCII or not', async (t) => {
  const redactor = new Redactor(new Tagger(Buffer.alloc(32, 7)));
  for (const [name, text] of [
    ['ASCII', pieces(1.2 * mb).join('')],
    [
      'UTF-8',
      pieces(1.2 * mb)
        .join('')
        .replace('description port 9', 'description Büro 9 – 東京'),
    ],
  ] as const) {
    const r = redactor.redact(text, 'cisco-ios');
    t.notMatch(r.text, /hsrp-\d/, `${name}: no secret left`);
    t.equal(r.text.replace(/<redacted:[0-9a-f]{8}>/g, 'X'), text.replace(/hsrp-\d+/g, 'X'), `${name}: everything else as it was`);
    t.equal(normalise(r.text).text, r.text.replace(/^!\n/gm, ''), `${name}: normalised`);
  }
});
