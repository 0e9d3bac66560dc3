import { matchesAny } from '../auth/glob.js';
import type { Vendor } from '../redact/vendor.js';
import { configLines, type Line } from './config-lines.js';
import type { ComplianceRule, ComplianceRules } from './rules-file.js';

/** The `compliance` field of `config/1` (README "Compliance"). */
export interface ComplianceResult {
  rulesSha256: string;
  /** Ids of the rules that apply to this device and vendor and hold. */
  passed: string[];
  failed: { id: string; reason: string }[];
  /** `failed.length`, as a number Logs Insights and metric filters can compare. */
  failedCount: number;
}

/** Problems listed in one reason; a rule that fails everywhere says how many more there are. */
const maxProblems = 5;
const maxLineChars = 160;
/**
 * The reasons of one upload together, in characters: the `config/1` event must stay under its size
 * limit (events/config-event.ts), and only the config and the diffs can be moved to parts. Past it,
 * every reason is cut to an equal share (the ids are always whole).
 */
const maxReasonsChars = 64 * 1024;

/**
 * Runs the rules that apply to a device (its name matches a rule's globs, its vendor is one the
 * rule names, if it names any) on the REDACTED text: a rule never sees a secret value, only its
 * `<redacted:...>` tag, so neither can a reason that quotes a line.
 */
export function checkCompliance(rules: ComplianceRules, device: string, vendor: Vendor, redactedText: string): ComplianceResult {
  const applicable = rules.rules.filter((r) => matchesAny(r.devices, device) && (r.vendors === null || r.vendors.includes(vendor)));
  const lines = applicable.length > 0 ? configLines(redactedText, vendor) : null;
  const passed: string[] = [];
  const failed: { id: string; reason: string }[] = [];
  for (const rule of applicable) {
    const problems = problemsOf(rule, lines!);
    if (problems.length === 0) passed.push(rule.id);
    else failed.push({ id: rule.id, reason: reasonOf(problems) });
  }
  const total = failed.reduce((n, f) => n + f.reason.length, 0);
  if (total > maxReasonsChars) {
    const share = Math.max(40, Math.floor(maxReasonsChars / failed.length));
    for (const f of failed) if (f.reason.length > share) f.reason = `${f.reason.slice(0, share - 3)}...`;
  }
  return { rulesSha256: rules.sha256, passed, failed, failedCount: failed.length };
}

function problemsOf(rule: ComplianceRule, lines: ReturnType<typeof configLines>): string[] {
  if (rule.section === null) return linesProblems(rule, lines.all, '');
  const blocks = lines.sections(rule.section.regex);
  if (blocks.length === 0) return rule.require.length > 0 ? [`no section matches "${rule.section.text}"`] : [];
  return blocks.flatMap((b) => linesProblems(rule, b.lines, ` in "${clip(b.parent.text)}" (line ${b.parent.number})`));
}

/** Order-insensitive: each required pattern must match some line, no forbidden one any line. */
function linesProblems(rule: ComplianceRule, lines: readonly Line[], where: string): string[] {
  const problems: string[] = [];
  for (const pattern of rule.require) {
    if (!lines.some((l) => pattern.regex.test(l.text))) problems.push(`missing "${pattern.text}"${where}`);
  }
  for (const pattern of rule.forbid) {
    for (const line of lines) {
      if (pattern.regex.test(line.text)) problems.push(`forbidden "${pattern.text}" at line ${line.number}: ${clip(line.text)}`);
    }
  }
  return problems;
}

function reasonOf(problems: string[]): string {
  const shown = problems.slice(0, maxProblems).join('; ');
  return problems.length > maxProblems ? `${shown}; and ${problems.length - maxProblems} more` : shown;
}

function clip(text: string): string {
  return text.length > maxLineChars ? `${text.slice(0, maxLineChars)}...` : text;
}
