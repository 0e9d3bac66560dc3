import { invalidParameter } from './service-error.js';

/**
 * Paging tokens. They are opaque to clients, so any shape does; GetLogEvents ones look like
 * CloudWatch's (`f/` or `b/` and 56 digits) because people read them in logs. A token that does
 * not decode is an InvalidParameterException, as with CloudWatch.
 */
const invalidToken = () => invalidParameter('The specified nextToken is invalid.');

export interface StreamPosition {
  direction: 'f' | 'b';
  position: number;
}

export const encodeStreamToken = (direction: 'f' | 'b', position: number): string => `${direction}/${String(position).padStart(56, '0')}`;

export function decodeStreamToken(token: string): StreamPosition {
  const match = /^([fb])\/(\d{1,56})$/.exec(token);
  const position = match ? Number(match[2]) : NaN;
  if (!match || !Number.isSafeInteger(position)) throw invalidToken();
  return { direction: match[1] as 'f' | 'b', position };
}

/** A JSON value under a kind tag, so a token of one operation is refused by another. */
export const encodeToken = (kind: string, value: unknown): string => Buffer.from(JSON.stringify({ k: kind, v: value })).toString('base64url');

export function decodeToken(kind: string, token: string): unknown {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && (decoded as { k?: unknown }).k === kind) {
      return (decoded as { v?: unknown }).v;
    }
  } catch {
    // falls through: not ours
  }
  throw invalidToken();
}

/** Offset tokens of the Describe* operations. */
export const encodeOffset = (kind: string, offset: number): string => encodeToken(kind, offset);

export function decodeOffset(kind: string, token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = decodeToken(kind, token);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw invalidToken();
  return offset;
}
