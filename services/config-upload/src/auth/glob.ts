/** `*` any run of characters, `?` one; everything else literal; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function matchesAny(globs: readonly RegExp[], name: string): boolean {
  return globs.some((glob) => glob.test(name));
}
