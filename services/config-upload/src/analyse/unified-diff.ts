import { formatPatch, structuredPatch, type StructuredPatch } from 'diff';

export interface Diff {
  text: string;
  added: number;
  removed: number;
}

const diffTimeoutMs = 2_000; // jsdiff gives up past this; a replacement diff is still correct, only longer

/**
 * A unified diff (3 lines of context) of two normalised texts, with jsdiff. When jsdiff gives up
 * (a huge rewrite), the answer is the whole-file replacement, which is a valid diff too.
 */
export function unifiedDiff(oldName: string, newName: string, oldText: string, newText: string): Diff {
  const patch = windowDiff(oldName, newName, oldText, newText, 0);
  if (patch) return patch;
  const oldLines = splitLines(oldText);
  const newLines = splitLines(newText);
  const text = [
    `--- ${oldName}`,
    `+++ ${newName}`,
    `@@ -1,${oldLines.length} +1,${newLines.length} @@`,
    ...oldLines.map((l) => `-${l}`),
    ...newLines.map((l) => `+${l}`),
  ].join('\n');
  return { text: text + '\n', added: newLines.length, removed: oldLines.length };
}

/**
 * The diff of two windows of longer texts: both start after the same `skippedLines` lines, hold
 * every line that differs with at least 5 shared lines around (or the texts' start and end), so
 * the patch is the one `unifiedDiff` gives for the whole texts, numbered from their top. Null when
 * jsdiff gives up: the whole-file replacement needs the whole texts.
 */
export function windowDiff(oldName: string, newName: string, oldText: string, newText: string, skippedLines: number): Diff | null {
  const patch = trimmedPatch(oldName, newName, oldText, newText, skippedLines);
  if (!patch) return null;
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { text: formatPatch(patch, { includeIndex: false, includeUnderline: false, includeFileHeaders: true }), added, removed };
}

const context = 3;

/**
 * jsdiff on the part that differs only: common leading and trailing lines (all but the context)
 * are cut first and the hunk line numbers shifted back. A one-line change in a 1 MB config took
 * 87 ms through jsdiff whole, under 5 ms this way (bench/RESULTS-config.md).
 */
function trimmedPatch(oldName: string, newName: string, oldText: string, newText: string, skippedLines: number): StructuredPatch | undefined {
  const cut = commonLines(oldText, newText);
  const oldPart = oldText.slice(cut.head, cut.oldEnd);
  const newPart = newText.slice(cut.head, cut.newEnd);
  const patch: StructuredPatch | undefined = structuredPatch(oldName, newName, oldPart, newPart, undefined, undefined, { context, timeout: diffTimeoutMs });
  if (patch)
    for (const hunk of patch.hunks) {
      hunk.oldStart += cut.lines + skippedLines;
      hunk.newStart += cut.lines + skippedLines;
    }
  return patch;
}

/** What both texts share and jsdiff need not see: `lines` leading lines up to `head`, and what follows `oldEnd` / `newEnd`. */
interface Cut {
  lines: number;
  head: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * The leading and trailing lines (as `split('\n')` gives them) both texts share, less `context`
 * lines on each side of the change; the final '' (after the last newline) is never cut, so jsdiff
 * sees the same line ends. The texts are not split: they are compared by character, and one walk
 * over the old text's line ends counts and places the lines (splitting two 1 MB texts into 40,000
 * lines each cost more than the rest of the diff).
 */
function commonLines(a: string, b: string): Cut {
  const i = commonStart(a, b);
  const j = commonEnd(a, b);
  const from = a.length - j;
  // The old text's line ends: how many, how many in the common start (the last four kept) and in
  // the common end (the first five kept). The common start and end may overlap.
  let total = 0;
  let inStart = 0;
  let inEnd = 0;
  const lastInStart = [0, 0, 0, 0];
  const firstInEnd: number[] = [];
  for (let k = a.indexOf('\n'); k !== -1; k = a.indexOf('\n', k + 1)) {
    if (k < i) lastInStart[inStart++ % 4] = k;
    if (k >= from) {
      if (firstInEnd.length < 5) firstInEnd.push(k);
      inEnd++;
    }
    total++;
  }
  // The line after the common start's line ends is common too when it ends where the texts part in
  // both (one of them ends there); the line before the common end's, when it starts there in both.
  const ends = (t: string): boolean => i === t.length || t.charCodeAt(i) === 10;
  const starts = (t: string): boolean => t.length === j || t.charCodeAt(t.length - j - 1) === 10;
  const prefix = inStart + (ends(a) && ends(b) ? 1 : 0);
  const oldLines = total + 1;
  // The new text has the same line ends in the common start and end: only the rest is walked.
  const newLines = i <= b.length - j ? inStart + inEnd + newlinesIn(b, i, b.length - j) + 1 : newlinesIn(b, 0, b.length) + 1;
  const suffix = Math.min(inEnd + (starts(a) && starts(b) ? 1 : 0), Math.min(oldLines, newLines) - prefix);
  const lines = Math.max(0, prefix - context);
  const cutTail = Math.max(0, suffix - context);
  const tail = cutTail > 1 ? cutTail - 1 : 0;
  // Line `lines` starts after line end number lines - 1, one of the last four in the common start.
  const head = lines === 0 ? 0 : lastInStart[(lines - 1) % 4]! + 1;
  if (tail === 0) return { lines, head, oldEnd: a.length, newEnd: b.length };
  // The kept part ends at the old text's line end number `total - tail`, in the common end: the
  // (m+1)th there (the 4th or 5th, unless the common start and end overlap), as far from the end in both texts.
  const m = inEnd - tail;
  let oldEnd = firstInEnd[Math.min(m, firstInEnd.length - 1)]!;
  for (let k = firstInEnd.length - 1; k < m; k++) oldEnd = a.indexOf('\n', oldEnd + 1);
  return { lines, head, oldEnd, newEnd: oldEnd + (b.length - a.length) };
}

function newlinesIn(text: string, start: number, end: number): number {
  let n = 0;
  for (let k = text.indexOf('\n', start); k !== -1 && k < end; k = text.indexOf('\n', k + 1)) n++;
  return n;
}

// Texts are compared a block at a time first: comparing two slices runs natively, about 25 times
// faster than a charCodeAt loop over a 1 MB config (measured: 0.2 ms against 5 ms).
const block = 4096;

/** How many characters both texts start with. */
function commonStart(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + block <= n && a.slice(i, i + block) === b.slice(i, i + block)) i += block;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** How many characters both texts end with (they may overlap what they start with). */
function commonEnd(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let j = 0;
  while (j + block <= n && a.slice(a.length - j - block, a.length - j) === b.slice(b.length - j - block, b.length - j)) j += block;
  while (j < n && a.charCodeAt(a.length - 1 - j) === b.charCodeAt(b.length - 1 - j)) j++;
  return j;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
