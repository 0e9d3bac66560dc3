import { tagPrefix } from '../redact/tagger.js';

/**
 * Where an upload's normalised text, its redaction tags masked (drift.ts), differs from the masked
 * intended text, found without building the masked upload: a 1 MB upload masked is another 1 MB
 * string, about 300 fresh pages of memory whose first touch cost some 5 ms per upload in the
 * service (page faults; bench/RESULTS-config.md), and drift only needs the lines that differ.
 *
 * The two texts are walked side by side from the start, and from the end, in upload coordinates
 * `u` and intended coordinates `t`: text between tags is compared a block at a time (natively),
 * a tag in the upload must face the mask in the intended text.
 */
export interface MaskedWindow {
  /** Lines both texts share before the window (the window starts after the `skippedLines`th line end). */
  skippedLines: number;
  /** [uploadStart, uploadEnd) of the (unmasked) upload, [intendedStart, intendedEnd) of the intended text. */
  uploadStart: number;
  uploadEnd: number;
  intendedStart: number;
  intendedEnd: number;
}

/** Shared lines kept on each side of the difference: more than the diff's 3 lines of context and its end-of-text cases need. */
const margin = 5;
const tagLength = tagPrefix.length + 9; // `<redacted:` 8 hex digits `>`
const block = 4096;

/** Whether a whole tag starts at `i` of `text`. */
function tagAt(text: string, i: number): boolean {
  if (!text.startsWith(tagPrefix, i) || text.charCodeAt(i + tagLength - 1) !== 0x3e) return false;
  for (let k = i + tagPrefix.length; k < i + tagLength - 1; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** The first tag at or after `from` (upload.length: none). */
function nextTag(text: string, from: number): number {
  for (let i = text.indexOf(tagPrefix, from); i !== -1; i = text.indexOf(tagPrefix, i + 1)) if (tagAt(text, i)) return i;
  return text.length;
}

/** The last tag ending at or before `to` (-1: none); its start. */
function previousTag(text: string, to: number): number {
  if (to < tagLength) return -1;
  for (let i = text.lastIndexOf(tagPrefix, to - tagLength); i !== -1; i = i === 0 ? -1 : text.lastIndexOf(tagPrefix, i - 1)) if (tagAt(text, i)) return i;
  return -1;
}

/** How many characters a[ai..] and b[bi..] share, up to n. */
function sameForward(a: string, ai: number, b: string, bi: number, n: number): number {
  if (a.slice(ai, ai + n) === b.slice(bi, bi + n)) return n; // most of it is: one native comparison
  let k = 0;
  while (k + block <= n && a.slice(ai + k, ai + k + block) === b.slice(bi + k, bi + k + block)) k += block;
  while (k < n && a.charCodeAt(ai + k) === b.charCodeAt(bi + k)) k++;
  return k;
}

/** How many characters a[..ae) and b[..be) share at their ends, up to n. */
function sameBackward(a: string, ae: number, b: string, be: number, n: number): number {
  if (a.slice(ae - n, ae) === b.slice(be - n, be)) return n;
  let k = 0;
  while (k + block <= n && a.slice(ae - k - block, ae - k) === b.slice(be - k - block, be - k)) k += block;
  while (k < n && a.charCodeAt(ae - 1 - k) === b.charCodeAt(be - 1 - k)) k++;
  return k;
}

/** Tags wholly inside upload[from, to). */
function tagsIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = nextTag(text, from); i + tagLength <= to; i = nextTag(text, i + tagLength)) n++;
  return n;
}

/** The start of the line before the one starting at `lineStart` (0 at the top). */
const lineBefore = (text: string, lineStart: number): number => (lineStart <= 1 ? 0 : text.lastIndexOf('\n', lineStart - 2) + 1);

/**
 * The window of both texts that holds every difference of the masked texts, with `margin` shared
 * lines around it; null when the masked texts are equal. `mask` is what a tag becomes.
 */
export function maskedWindow(upload: string, intended: string, mask: string): MaskedWindow | null {
  const shrink = tagLength - mask.length;
  // From the start: u and t advance together while the masked texts agree.
  let u = 0;
  let t = 0;
  for (;;) {
    const tag = nextTag(upload, u);
    const plain = Math.min(tag - u, intended.length - t);
    const same = sameForward(upload, u, intended, t, plain);
    u += same;
    t += same;
    if (u < tag || tag === upload.length || !intended.startsWith(mask, t)) break;
    u += tagLength;
    t += mask.length;
  }
  if (u === upload.length && t === intended.length) return null;
  // From the end, likewise: upload[ue..] and intended[te..] agree once masked.
  let ue = upload.length;
  let te = intended.length;
  for (;;) {
    const tag = previousTag(upload, ue);
    const tagEnd = tag === -1 ? 0 : tag + tagLength;
    const plain = Math.min(ue - tagEnd, te);
    const same = sameBackward(upload, ue, intended, te, plain);
    ue -= same;
    te -= same;
    if (ue > tagEnd || tag === -1 || te < mask.length || !intended.startsWith(mask, te - mask.length)) break;
    ue = tag;
    te -= mask.length;
  }
  // Whole lines, `margin` more on each side, in the upload; the intended text's matching places
  // are as far away, less what the tags in between lose to the mask.
  let start = u === 0 ? 0 : upload.lastIndexOf('\n', u - 1) + 1;
  for (let k = 0; k < margin; k++) start = lineBefore(upload, start);
  let end = ue;
  for (let k = 0; k <= margin && end < upload.length; k++) {
    const lf = upload.indexOf('\n', end);
    end = lf === -1 ? upload.length : lf + 1;
  }
  const intendedStart = t - (u - start) + shrink * tagsIn(upload, start, u);
  const intendedEnd = te + (end - ue) - shrink * tagsIn(upload, ue, end);
  // What the texts start and end with may overlap (repeated lines): then the whole texts.
  if (start > end || intendedStart > intendedEnd)
    return { skippedLines: 0, uploadStart: 0, uploadEnd: upload.length, intendedStart: 0, intendedEnd: intended.length };
  let skippedLines = 0;
  for (let k = upload.indexOf('\n'); k !== -1 && k < start; k = upload.indexOf('\n', k + 1)) skippedLines++;
  return { skippedLines, uploadStart: start, uploadEnd: end, intendedStart, intendedEnd };
}
