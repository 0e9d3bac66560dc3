import { createHash } from 'node:crypto';
import { CodedError } from '@netsidecar/config';
import { severities, type Severity } from '../config.js';

/** One vulnerability of a Trivy report, as recorded. */
export interface ObservedFinding {
  fingerprint: string;
  vulnerabilityId: string;
  pkgName: string;
  pkgPath: string | null;
  purl: string | null;
  installedVersion: string;
  fixedVersion: string | null;
  severity: Severity;
  vendorStatus: string | null;
  target: string;
  title: string | null;
}

export interface ParsedReport {
  artifactName: string;
  trivyVersion: string | null;
  findings: ObservedFinding[];
}

export class ReportError extends CodedError<'report_malformed'> {
  constructor(message: string) {
    super('report_malformed', `Trivy report: ${message}`);
  }
}

/**
 * Parses `trivy image --format json` output (SchemaVersion 2: `Results[].Vulnerabilities[]`). The
 * whole report is checked before anything is returned, so a malformed one records nothing.
 * `Results` and `Vulnerabilities` are absent when there is nothing to report (Trivy omits empty
 * lists); that is a clean report, not a malformed one.
 */
export function parseTrivyReport(text: string): ParsedReport {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new ReportError(text.trim() === '' ? 'empty output' : 'not JSON');
  }
  if (!isObject(document)) throw new ReportError('not a JSON object');
  if (document.SchemaVersion !== 2) throw new ReportError(`SchemaVersion ${JSON.stringify(document.SchemaVersion)} is not 2`);
  const artifactName = typeof document.ArtifactName === 'string' ? document.ArtifactName : '';
  const trivy = isObject(document.Trivy) && typeof document.Trivy.Version === 'string' ? document.Trivy.Version : null;
  const results = document.Results ?? [];
  if (!Array.isArray(results)) throw new ReportError('Results is not an array');
  const byFingerprint = new Map<string, ObservedFinding>();
  results.forEach((result: unknown, r) => {
    if (!isObject(result)) throw new ReportError(`Results[${r}] is not an object`);
    const target = requireString(result, 'Target', `Results[${r}]`);
    const vulnerabilities = result.Vulnerabilities ?? [];
    if (!Array.isArray(vulnerabilities)) throw new ReportError(`Results[${r}].Vulnerabilities is not an array`);
    vulnerabilities.forEach((vuln: unknown, v) => {
      const where = `Results[${r}].Vulnerabilities[${v}]`;
      if (!isObject(vuln)) throw new ReportError(`${where} is not an object`);
      const severity = requireString(vuln, 'Severity', where);
      if (!(severities as readonly string[]).includes(severity)) throw new ReportError(`${where}.Severity '${severity.slice(0, 20)}' is unknown`);
      const finding: Omit<ObservedFinding, 'fingerprint'> = {
        vulnerabilityId: requireString(vuln, 'VulnerabilityID', where),
        pkgName: requireString(vuln, 'PkgName', where),
        pkgPath: optionalString(vuln, 'PkgPath', where),
        purl: isObject(vuln.PkgIdentifier) && typeof vuln.PkgIdentifier.PURL === 'string' ? vuln.PkgIdentifier.PURL : null,
        installedVersion: requireString(vuln, 'InstalledVersion', where),
        fixedVersion: optionalString(vuln, 'FixedVersion', where) || null,
        severity: severity as Severity,
        vendorStatus: optionalString(vuln, 'Status', where),
        target,
        title: optionalString(vuln, 'Title', where),
      };
      const given = optionalString(vuln, 'Fingerprint', where);
      const fingerprint = given ?? computeFingerprint(finding);
      byFingerprint.set(fingerprint, { fingerprint, ...finding });
    });
  });
  return { artifactName, trivyVersion: trivy, findings: [...byFingerprint.values()] };
}

/**
 * Our fingerprint when Trivy gives none: the vulnerability in a package at a place, without the
 * installed version, so that a partial fix (a newer, still vulnerable version) stays one finding.
 */
export function computeFingerprint(finding: Pick<ObservedFinding, 'vulnerabilityId' | 'pkgName' | 'pkgPath' | 'target'>): string {
  return createHash('sha256')
    .update([finding.vulnerabilityId, finding.pkgName, finding.pkgPath ?? finding.target].join('\u0000'))
    .digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(object: Record<string, unknown>, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new ReportError(`${where}.${key} missing`);
  return value;
}

function optionalString(object: Record<string, unknown>, key: string, where: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ReportError(`${where}.${key} is not a string`);
  return value;
}
