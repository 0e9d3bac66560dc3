import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { CodedError } from '@netsidecar/config';
import type { ObservedFinding } from '../scan/trivy-report.js';

/** One entry of `vulnerabilities:` in Trivy's `.trivyignore.yaml`. */
export interface IgnoreRule {
  id: string;
  paths: string[];
  purls: string[];
  /** Ms since the epoch at which the ignore stops (the start of `expired_at`, UTC); null = never. */
  expiresAt: number | null;
  statement: string | null;
}

export class IgnoreFileError extends CodedError<'ignore_file_invalid'> {
  constructor(message: string) {
    super('ignore_file_invalid', message);
  }
}

export async function loadIgnoreFile(path: string): Promise<IgnoreRule[]> {
  return parseIgnoreYaml(await readFile(path, 'utf8'));
}

/**
 * Trivy's YAML ignore format (`vulnerabilities:` entries with `id`, `paths`, `purls`,
 * `expired_at`, `statement`). Other sections (misconfigurations, secrets, licenses) do not apply to
 * a vulnerability scan and are ignored.
 */
export function parseIgnoreYaml(text: string): IgnoreRule[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    throw new IgnoreFileError(`ignore file: not YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (document === null || document === undefined) return [];
  const entries = (document as { vulnerabilities?: unknown }).vulnerabilities ?? [];
  if (!Array.isArray(entries)) throw new IgnoreFileError('ignore file: vulnerabilities is not a list');
  return entries.map((entry: unknown, index) => {
    const item = (entry ?? {}) as Record<string, unknown>;
    if (typeof item.id !== 'string' || item.id === '') throw new IgnoreFileError(`ignore file: vulnerabilities[${index}].id missing`);
    return {
      id: item.id,
      paths: stringList(item.paths, `vulnerabilities[${index}].paths`),
      purls: stringList(item.purls, `vulnerabilities[${index}].purls`),
      expiresAt: expiry(item.expired_at, index),
      statement: typeof item.statement === 'string' ? item.statement : null,
    };
  });
}

/** The rule that ignores `finding` at `now`, if one does. */
export function matchIgnore(finding: ObservedFinding, rules: readonly IgnoreRule[], now: number): IgnoreRule | null {
  for (const rule of rules) {
    if (rule.id !== finding.vulnerabilityId) continue;
    if (rule.expiresAt !== null && now >= rule.expiresAt) continue;
    if (rule.paths.length > 0 && !rule.paths.includes(finding.pkgPath ?? '')) continue;
    if (rule.purls.length > 0 && !rule.purls.some((purl) => finding.purl !== null && (finding.purl === purl || finding.purl.startsWith(`${purl}@`)))) continue;
    return rule;
  }
  return null;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new IgnoreFileError(`ignore file: ${where} is not a list of strings`);
  return value as string[];
}

function expiry(value: unknown, index: number): number | null {
  if (value === undefined || value === null) return null;
  // The YAML parser gives a string for `2026-12-31` (YAML 1.2 core schema has no timestamps).
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new IgnoreFileError(`ignore file: vulnerabilities[${index}].expired_at is not a date`);
  return ms;
}
