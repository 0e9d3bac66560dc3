/** The parsed form of a query: a pipeline of commands over rows of named values. */

/** A period such as `5m`: its length in ms and its text. */
export interface Period {
  ms: number;
  text: string;
}

export type Expr = { text: string } & (
  | { kind: 'field'; name: string }
  | { kind: 'literal'; value: string | number }
  | { kind: 'regex'; regex: RegExp }
  | { kind: 'period'; period: Period }
  | { kind: 'star' }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'unary'; op: '-' | 'not'; arg: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'like'; negate: boolean; left: Expr; pattern: Expr }
  | { kind: 'in'; negate: boolean; left: Expr; items: Expr[] }
);

/** An expression and the field name its value gets (`as` alias, else the expression's text). */
export interface Named {
  expr: Expr;
  name: string;
}

export type Command =
  | { kind: 'fields'; items: Named[] }
  | { kind: 'display'; names: string[] }
  | { kind: 'filter'; expr: Expr }
  | { kind: 'stats'; aggregates: Named[]; by: Named[] }
  | { kind: 'sort'; keys: { expr: Expr; descending: boolean }[] }
  | { kind: 'limit'; count: number }
  | { kind: 'dedup'; names: string[] }
  | { kind: 'parse'; source: Expr; pattern: RegExp; names: string[] };
