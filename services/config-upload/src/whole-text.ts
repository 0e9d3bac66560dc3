/**
 * Whole-config strings (1 MB and more) made outside the V8 heap.
 *
 * V8 gives every object over 128 KiB pages of its own (large-object space), mapped fresh for it and
 * returned to the OS once it is collected: each new 1.2 MB string of an upload cost some 300 page
 * faults, about 4 ms on the Firecracker VM of the bench, several times the work of building it
 * (bench/RESULTS-config.md); and one alive at a scavenge is promoted whole to the old generation,
 * bringing the next mark-compact closer. Node makes a Latin-1 string of more than about 1 MB an
 * external string (`string_bytes.cc`, EXTERN_APEX = 1,031,913 bytes): its characters in malloc'd
 * memory, which the allocator reuses from one upload to the next, with a small header on the V8
 * heap. Configurations are ASCII almost always, and ASCII is its own Latin-1, so their whole-text
 * strings are made that way; any other text, and smaller ones, the ordinary way.
 */
const externalFrom = 1024 * 1024;

/** `bytes` (known to be ASCII) as a string: `bytes.toString('latin1')`, external when large. */
export function asciiText(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/**
 * `pieces.join('')`. A large ASCII result is written into a buffer and read back as Latin-1 (an
 * external string); the buffer is 4 bytes longer than the text, so a character that is not ASCII
 * always shows as a byte count that differs from its piece's length (it needs 2 to 4 bytes, or
 * does not fit at the end), and the pieces are then joined the ordinary way.
 */
export function joinText(pieces: readonly string[]): string {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  if (length < externalFrom) return pieces.join('');
  const bytes = Buffer.allocUnsafeSlow(length + 4);
  let at = 0;
  for (const piece of pieces) {
    if (bytes.write(piece, at, 'utf8') !== piece.length) return pieces.join('');
    at += piece.length;
  }
  return bytes.toString('latin1', 0, length);
}
