/**
 * One redaction rule: a global, multi-line regular expression whose group 1 is kept (the keyword
 * before the secret), group 2 is the secret, and an optional group 3 is kept after it.
 */
export interface Rule {
  kind: string;
  re: RegExp;
  /** A literal every match contains: the rule is skipped when the text lacks it (most rules, most configs). */
  hint?: string;
}

/** A secret value: a quoted string (may hold spaces) or one token. */
export const VALUE = `("(?:[^"\\\\\\n]|\\\\.)*"|\\S+)`;

export function rule(kind: string, source: string, hint?: string): Rule {
  return { kind, re: new RegExp(source, 'gm'), ...(hint === undefined ? {} : { hint }) };
}
