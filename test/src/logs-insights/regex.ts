import { MalformedQueryError, UnsupportedQueryError } from './errors.js';

/**
 * Logs Insights regexes are Java-style; JavaScript's engine agrees on everything the services'
 * queries need except inline flags. `(?i)` (anywhere, as the AWS docs write `/^(?i)Exception$/`)
 * becomes the `i` flag for the whole pattern: NB a pattern that switches case sensitivity half way
 * is matched case-insensitively throughout. Other inline flags are refused rather than guessed.
 */
export function compileRegex(source: string, pos?: number): RegExp {
  let flags = 'u';
  let body = source;
  if (body.includes('(?i)')) {
    body = body.split('(?i)').join('');
    flags += 'i';
  }
  const inline = /\(\?[a-zA-Z-]+[:)]/.exec(body);
  if (inline !== null) throw new UnsupportedQueryError(`the inline regex flag ${inline[0]}`, `in /${source}/`);
  try {
    return new RegExp(body, flags);
  } catch {
    try {
      return new RegExp(body, flags.replace('u', ''));
    } catch (error) {
      throw new MalformedQueryError(`invalid regular expression /${source}/: ${(error as Error).message}`, pos);
    }
  }
}

/**
 * A `parse` glob: `*` captures, everything else is literal. Matched anywhere in the value; each
 * `*` takes as little as it can, except a trailing one, which takes the rest.
 */
export function globToRegex(glob: string): { regex: RegExp; captures: number } {
  const parts = glob.split('*');
  let source = '';
  parts.forEach((part, index) => {
    source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (index < parts.length - 1) source += index === parts.length - 2 && parts[parts.length - 1] === '' ? '(.*)' : '(.*?)';
  });
  return { regex: new RegExp(source, 's'), captures: parts.length - 1 };
}
