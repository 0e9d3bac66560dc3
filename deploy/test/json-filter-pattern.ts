/**
 * The subset of CloudWatch Logs JSON filter patterns the stack's metric filters use:
 * `{ $.a.b = "text" }`, `!=`, numbers, `true`/`false`/`NULL`, joined with `&&` and `||` and grouped
 * with parentheses. Anything else throws, so a test never passes on a pattern it did not read.
 * Semantics as documented: a missing field never matches `=` (and matches `!=` only when present).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
type Node = { op: '&&' | '||'; left: Node; right: Node } | { path: string[]; cmp: '=' | '!='; value: string | number | boolean | null };

export function compileJsonFilterPattern(pattern: string): (message: string) => boolean {
  const text = pattern.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const tokens = text.slice(1, -1).match(/\$(?:\.[A-Za-z_][\w-]*)+|"(?:[^"\\]|\\.)*"|&&|\|\||!=|=|\(|\)|-?\d+(?:\.\d+)?|true|false|NULL|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const token = tokens[pos++];
    if (token === undefined) throw new Error(`unexpected end of pattern: ${pattern}`);
    return token;
  };
  const primary = (): Node => {
    if (peek() === '(') {
      next();
      const inner = or();
      if (next() !== ')') throw new Error(`missing ) in ${pattern}`);
      return inner;
    }
    const selector = next();
    if (!selector.startsWith('$.')) throw new Error(`unsupported term ${selector} in ${pattern}`);
    const cmp = next();
    if (cmp !== '=' && cmp !== '!=') throw new Error(`unsupported comparison ${cmp} in ${pattern}`);
    const raw = next();
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw === 'true' ? true : raw === 'false' ? false : raw === 'NULL' ? null : Number(raw);
    if (typeof value === 'number' && Number.isNaN(value)) throw new Error(`unsupported value ${raw} in ${pattern}`);
    if (typeof value === 'string' && /[*]/.test(value)) throw new Error(`wildcards are not supported here: ${raw}`);
    return { path: selector.slice(2).split('.'), cmp, value };
  };
  const and = (): Node => {
    let left = primary();
    while (peek() === '&&') {
      next();
      left = { op: '&&', left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek() === '||') {
      next();
      left = { op: '||', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (pos !== tokens.length) throw new Error(`unexpected ${tokens[pos]} in ${pattern}`);

  const evaluate = (node: Node, event: unknown): boolean => {
    if ('op' in node)
      return node.op === '&&' ? evaluate(node.left, event) && evaluate(node.right, event) : evaluate(node.left, event) || evaluate(node.right, event);
    let value: unknown = event;
    for (const key of node.path) {
      if (typeof value !== 'object' || value === null || !(key in value)) return false;
      value = (value as Record<string, unknown>)[key];
    }
    const equal = value === node.value;
    return node.cmp === '=' ? equal : !equal;
  };
  return (message) => {
    let event: unknown;
    try {
      event = JSON.parse(message);
    } catch {
      return false;
    }
    return evaluate(tree, event);
  };
}
