import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { CodedError, ConfigError } from '@netsidecar/config';
import { globToRegExp } from '../auth/glob.js';
import { vendors, type Vendor } from '../redact/vendor.js';

const variable = 'NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE';
const inlineVariable = 'NETSIDECAR_UPLOAD_COMPLIANCE_RULES';

/** One rule as written in the rules file (README "Compliance"). */
interface RuleText {
  id: string;
  description: string;
  devices: string | string[];
  vendors?: Vendor[];
  section?: string;
  require?: string[];
  forbid?: string[];
}

/** A rule ready to run: globs and patterns compiled, each pattern kept as written for the reasons. */
export interface ComplianceRule {
  id: string;
  description: string;
  devices: RegExp[];
  vendors: readonly Vendor[] | null;
  section: { text: string; regex: RegExp } | null;
  require: Pattern[];
  forbid: Pattern[];
}

export interface Pattern {
  text: string;
  /** Anchored on both ends: it must match a whole line (trimmed). */
  regex: RegExp;
}

export interface ComplianceRules {
  /** SHA-256 of the file's bytes: which rules an upload was checked against. */
  sha256: string;
  rules: ComplianceRule[];
}

const patterns = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 1000 } } as const;

/** The rules file's JSON Schema; ids are also checked for uniqueness and patterns for syntax below. */
export const rulesSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    $schema: { type: 'string' },
    rules: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'description', 'devices'],
        // A rule that neither requires nor forbids anything would always pass.
        anyOf: [{ required: ['require'] }, { required: ['forbid'] }],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
          description: { type: 'string', minLength: 1, maxLength: 1000 },
          devices: {
            oneOf: [
              { type: 'string', minLength: 1 },
              { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
            ],
          },
          vendors: { type: 'array', minItems: 1, items: { enum: vendors } },
          section: { type: 'string', minLength: 1, maxLength: 1000 },
          require: patterns,
          forbid: patterns,
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: false }).compile<{ rules: RuleText[] }>(rulesSchema);

/** Largest inline rules text (NETSIDECAR_UPLOAD_COMPLIANCE_RULES): it travels in the ECS task definition, 64 KiB in all. */
export const maxInlineRulesBytes = 32 * 1024;

/** A rules text that does not parse, validate or compile: `detail` is one line naming the rule and the problem. */
export class ComplianceRulesError extends CodedError<'compliance_rules_invalid'> {
  constructor(readonly detail: string) {
    super('compliance_rules_invalid', detail);
  }
}

/**
 * Reads and checks the rules at start, from the file (NETSIDECAR_UPLOAD_COMPLIANCE_RULES_FILE) or
 * inline (NETSIDECAR_UPLOAD_COMPLIANCE_RULES, what the CDK app sets). Anything wrong stops the service
 * (ConfigError, exit 2) with one line naming the file, the rule and the problem: a typo must not
 * silently pass every router.
 */
export function loadComplianceRules(file: string | null, inline: string | null = null): ComplianceRules | null {
  if (file !== null && inline !== null) throw new ConfigError(inlineVariable, `set it or ${variable}, not both`);
  if (inline !== null) {
    const bytes = Buffer.from(inline, 'utf8');
    if (bytes.length > maxInlineRulesBytes) throw new ConfigError(inlineVariable, `${bytes.length} bytes, at most ${maxInlineRulesBytes}: use ${variable}`);
    return parsedOrFail(inlineVariable, 'inline rules', bytes);
  }
  if (file === null) return null;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new ConfigError(variable, `${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parsedOrFail(variable, file, bytes);
}

function parsedOrFail(name: string, source: string, bytes: Buffer): ComplianceRules {
  try {
    return parseComplianceRules(bytes);
  } catch (err) {
    if (err instanceof ComplianceRulesError) throw new ConfigError(name, `${source}: ${err.detail}`, { cause: err });
    throw err;
  }
}

/**
 * The rules of a rules text (its bytes as written: `sha256` is theirs), checked against `rulesSchema`,
 * ids unique, every pattern a regular expression; throws ComplianceRulesError. The CDK app checks a
 * deployment's rules file with this too, at synth time.
 */
export function parseComplianceRules(bytes: Buffer): ComplianceRules {
  const fail = (detail: string): never => {
    throw new ComplianceRulesError(detail);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return fail(`is not valid JSON: ${(err as Error).message}`);
  }
  // A failed anyOf lists its branches' errors first: the anyOf itself says what is wrong.
  if (!validate(parsed)) return fail(schemaProblem(parsed, validate.errors?.find((e) => e.keyword === 'anyOf') ?? validate.errors?.[0]));

  const seen = new Set<string>();
  const rules = parsed.rules.map((rule, index): ComplianceRule => {
    const where = `rule "${rule.id}" (rules[${index}])`;
    if (seen.has(rule.id)) fail(`${where}: the id is used by an earlier rule`);
    seen.add(rule.id);
    const compile = (source: string, field: string, anchored: boolean): RegExp => {
      try {
        return new RegExp(anchored ? `^(?:${source})$` : source);
      } catch (err) {
        return fail(`${where}: ${field} is not a valid regular expression: ${(err as Error).message}`);
      }
    };
    const compileAll = (list: string[] | undefined, field: string): Pattern[] =>
      (list ?? []).map((text, i) => ({ text, regex: compile(text, `${field}[${i}]`, true) }));
    return {
      id: rule.id,
      description: rule.description,
      devices: (typeof rule.devices === 'string' ? [rule.devices] : rule.devices).map(globToRegExp),
      vendors: rule.vendors ?? null,
      section: rule.section === undefined ? null : { text: rule.section, regex: compile(rule.section, 'section', false) },
      require: compileAll(rule.require, 'require'),
      forbid: compileAll(rule.forbid, 'forbid'),
    };
  });
  return { sha256: createHash('sha256').update(bytes).digest('hex'), rules };
}

/** The first schema error, said with the rule it is in: `rule "ntp" (rules[2]): require[0] must be string`. */
function schemaProblem(parsed: unknown, error: ErrorObject | undefined): string {
  if (!error) return 'does not match the rules schema';
  const path = error.instancePath.split('/').slice(1);
  let detail = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') detail += `: ${String(error.params.additionalProperty)}`;
  if (error.keyword === 'enum') detail += `: ${(error.params.allowedValues as string[]).join(', ')}`;
  if (error.keyword === 'anyOf') detail = 'must have require or forbid';
  if (path[0] !== 'rules' || path.length < 2) return `${path.length === 0 ? 'the file' : path.join('.')} ${detail}`;
  const index = Number(path[1]);
  const rule = (parsed as { rules: unknown[] }).rules[index] as { id?: unknown } | null;
  const name = typeof rule?.id === 'string' ? `rule "${rule.id}"` : 'rule';
  const field = path
    .slice(2)
    .map((p, i) => (i > 0 && /^\d+$/.test(p) ? `[${p}]` : p))
    .join('');
  return `${name} (rules[${index}]): ${field === '' ? 'the rule' : field} ${detail}`;
}
