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
  const patch = trimmedPatch(oldName, newName, oldText, newText);
  if (patch) {
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

const context = 3;

/**
 * jsdiff on the part that differs only: common leading and trailing lines (all but the context)
 * are cut first and the hunk line numbers shifted back. A one-line change in a 1 MB config took
 * 87 ms through jsdiff whole, under 5 ms this way (bench/RESULTS-config.md).
 */
function trimmedPatch(oldName: string, newName: string, oldText: string, newText: string): StructuredPatch | undefined {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  let prefix = 0;
  const max = Math.min(a.length, b.length);
  while (prefix < max && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const cutHead = Math.max(0, prefix - context);
  const cutTail = Math.max(0, suffix - context);
  // Keep the final '' (after the last newline) out of the cut, so jsdiff sees the same line ends.
  const tail = cutTail > 1 ? cutTail - 1 : 0;
  const oldPart = a.slice(cutHead, a.length - tail).join('\n');
  const newPart = b.slice(cutHead, b.length - tail).join('\n');
  const patch: StructuredPatch | undefined = structuredPatch(oldName, newName, oldPart, newPart, undefined, undefined, { context, timeout: diffTimeoutMs });
  if (patch) for (const hunk of patch.hunks) {
    hunk.oldStart += cutHead;
    hunk.newStart += cutHead;
  }
  return patch;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
