/**
 * The one way netsidecar cuts text for parts (`part/1` of the CloudWatch sink, `config-part/1` of
 * config-upload): into slices whose JSON-escaped UTF-8 size is at most `budget` bytes, never inside
 * a surrogate pair, so that each slice is valid text and the slices concatenated are the original.
 */
export interface JsonSlice {
  data: string;
  /** `JSON.stringify(data)`, computed once: a part message splices it in as it is. */
  json: string;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Each slice is sized by a guess and checked with the native JSON.stringify and byteLength (a
 * per-character loop cost ~6 ms per MB; this well under 1 ms for configuration text). A single code
 * point is taken even when it alone is over the budget (only a budget under 6 bytes allows that).
 */
export function jsonSlices(text: string, budget: number): JsonSlice[] {
  const out: JsonSlice[] = [];
  let start = 0;
  let guess = Math.max(1, budget);
  while (start < text.length) {
    let n = Math.min(guess, text.length - start);
    for (;;) {
      let end = start + n;
      if (end < text.length && isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end))) {
        end = end - 1 > start ? end - 1 : end + 1; // keep the pair whole: before it, or it alone
      }
      const slice = text.slice(start, end);
      const json = JSON.stringify(slice);
      const size = escapedBytes(slice, json);
      const onePoint = end - start === 1 || (end - start === 2 && isHigh(text.charCodeAt(start)) && isLow(text.charCodeAt(start + 1)));
      if (size <= budget || onePoint) {
        out.push({ data: slice, json });
        start = end;
        // Escaping runs at about the same rate through a text: size the next guess from this one.
        guess = Math.max(1, Math.floor((slice.length * budget) / Math.max(size, 1)));
        break;
      }
      n = Math.max(1, Math.min(n - 1, Math.floor(((n * budget) / size) * 0.98)));
    }
  }
  return out;
}

/**
 * The UTF-8 size of `json` (JSON.stringify(slice)) without its quotes, never less than the truth,
 * measured on the slice: Buffer.byteLength of JSON.stringify's fresh result cost about 1 ms per
 * 250 KB part (measured; the string is flattened first), of the slice, a view of flat text, 0.05 ms.
 * JSON.stringify only turns characters into ASCII escapes, so each escape adds its extra length to
 * the slice's UTF-8 size: exact, except a lone surrogate (3 bytes in the slice, a 6-byte `\uXXXX`
 * escape), counted 2 bytes too many.
 */
function escapedBytes(slice: string, json: string): number {
  return Buffer.byteLength(slice) + (json.length - 2 - slice.length);
}

/** `{...envelope,"data":<json>}`: the envelope serialised once, the already-encoded data spliced in last. */
export function withData(envelopeJson: string, json: string): string {
  return `${envelopeJson.slice(0, -1)},"data":${json}}`;
}

/** Bytes a part message adds to its data's escaped size: the envelope, `,"data":`, the quotes. */
export function envelopeOverhead(envelopeJson: string): number {
  return Buffer.byteLength(withData(envelopeJson, '""'));
}
