import { invalidParameter } from './service-error.js';

/**
 * The term subset of CloudWatch's filter pattern syntax: whitespace-separated terms, bare or in
 * double quotes, matched case-sensitively as substrings of the message.
 * - every plain term must occur (AND);
 * - `?term`: when a pattern has such terms, at least one of them must occur (OR);
 * - `-term`: must not occur.
 * JSON (`{ $.x = 1 }`), space-delimited (`[a, b]`) and regex (`%...%`) patterns are refused with an
 * InvalidParameterException that names this fake, so a test never passes on a pattern it ignored.
 */
export type MessageFilter = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): MessageFilter {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (/^[{[%]/.test(text)) {
    throw invalidParameter(`fake CloudWatch Logs supports only term filter patterns, not: ${text}`);
  }
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  const termRe = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of text.matchAll(termRe)) {
    const term = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!;
    if (term === '') continue;
    if (match[1] === '?') any.push(term);
    else if (match[1] === '-') none.push(term);
    else all.push(term);
  }
  return (message) =>
    all.every((t) => message.includes(t)) && (any.length === 0 || any.some((t) => message.includes(t))) && !none.some((t) => message.includes(t));
}
