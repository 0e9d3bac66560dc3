// Pure parsing: Trivy reports (SchemaVersion 2), .trivyignore.yaml with expiry, image references,
// and the service's variables.
import t from 'tap';
import { loadConfig } from '@netsidecar/config';
import {
  computeFingerprint,
  digestInReference,
  matchIgnore,
  parseIgnoreYaml,
  parseImageId,
  parseScanRequest,
  parseStaticInventory,
  parseTrivyReport,
  repositoryOf,
  scanVariables,
  type ObservedFinding,
} from '../src/index.js';
import { digestOf } from './support/harness.js';

const vuln = (extra: Record<string, unknown> = {}) => ({
  VulnerabilityID: 'CVE-2024-45491',
  PkgID: 'libexpat1@2.5.0-1',
  PkgName: 'libexpat1',
  PkgIdentifier: { PURL: 'pkg:deb/debian/libexpat1@2.5.0-1?arch=amd64&distro=debian-12.6' },
  InstalledVersion: '2.5.0-1',
  FixedVersion: '2.5.0-1+deb12u1',
  Status: 'fixed',
  Severity: 'CRITICAL',
  Title: 'libexpat: Integer Overflow or Wraparound',
  ...extra,
});
const report = (results: unknown) =>
  JSON.stringify({ SchemaVersion: 2, ArtifactName: 'r@sha256:x', ArtifactType: 'container_image', Trivy: { Version: '0.57.1' }, Results: results });

t.test('trivy reports', async (t) => {
  const parsed = parseTrivyReport(
    report([
      { Target: 'r (debian 12.6)', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: [vuln(), vuln()] },
      { Target: 'app/package-lock.json', Class: 'lang-pkgs', Type: 'npm' },
    ]),
  );
  t.equal(parsed.trivyVersion, '0.57.1');
  t.equal(parsed.findings.length, 1, 'duplicates by fingerprint collapse');
  t.match(parsed.findings[0], {
    vulnerabilityId: 'CVE-2024-45491',
    severity: 'CRITICAL',
    fixedVersion: '2.5.0-1+deb12u1',
    vendorStatus: 'fixed',
    purl: /^pkg:deb/,
    target: 'r (debian 12.6)',
  });
  t.equal(
    parsed.findings[0]!.fingerprint,
    computeFingerprint({ vulnerabilityId: 'CVE-2024-45491', pkgName: 'libexpat1', pkgPath: null, target: 'r (debian 12.6)' }),
  );
  t.equal(
    parseTrivyReport(report([{ Target: 't', Vulnerabilities: [vuln({ Fingerprint: 'trivy-fp' })] }])).findings[0]!.fingerprint,
    'trivy-fp',
    "Trivy's Fingerprint when present",
  );
  const a = computeFingerprint({ vulnerabilityId: 'CVE-1', pkgName: 'p', pkgPath: null, target: 't' });
  t.equal(a, computeFingerprint({ vulnerabilityId: 'CVE-1', pkgName: 'p', pkgPath: null, target: 't' }));
  t.not(a, computeFingerprint({ vulnerabilityId: 'CVE-2', pkgName: 'p', pkgPath: null, target: 't' }));
  t.same(parseTrivyReport(JSON.stringify({ SchemaVersion: 2, ArtifactName: 'x' })).findings, [], 'no Results: a clean image');

  const bad: [string, RegExp][] = [
    ['', /empty output/],
    ['not json', /not JSON/],
    ['[]', /not a JSON object/],
    [JSON.stringify({ SchemaVersion: 1, Results: [] }), /SchemaVersion 1 is not 2/],
    [report({}), /Results is not an array/],
    [report([{ Vulnerabilities: [] }]), /Results\[0\]\.Target missing/],
    [report([{ Target: 't', Vulnerabilities: {} }]), /Vulnerabilities is not an array/],
    [report([{ Target: 't', Vulnerabilities: [vuln({ Severity: 'SEVERE' })] }]), /Severity 'SEVERE' is unknown/],
    [report([{ Target: 't', Vulnerabilities: [vuln({ PkgName: undefined })] }]), /Vulnerabilities\[0\]\.PkgName missing/],
    [report([{ Target: 't', Vulnerabilities: [vuln({ FixedVersion: 7 })] }]), /FixedVersion is not a string/],
  ];
  for (const [text, message] of bad) t.throws(() => parseTrivyReport(text), { code: 'report_malformed', message }, String(message));
});

t.test('.trivyignore.yaml', async (t) => {
  const rules = parseIgnoreYaml(`
vulnerabilities:
  - id: CVE-2024-45491
    expired_at: 2026-12-01
    statement: not reachable
  - id: CVE-2023-3817
    purls:
      - pkg:deb/debian/libssl3
  - id: CVE-2022-40897
    paths: ["usr/local/lib/python3.12/site-packages/setuptools-65.5.1.dist-info/METADATA"]
misconfigurations:
  - id: AVD-DS-0002
`);
  t.equal(rules.length, 3);
  t.equal(rules[0]!.expiresAt, Date.parse('2026-12-01T00:00:00Z'));
  const finding = (id: string, extra: Partial<ObservedFinding> = {}): ObservedFinding => ({
    fingerprint: 'f',
    vulnerabilityId: id,
    pkgName: 'p',
    pkgPath: null,
    purl: null,
    installedVersion: '1',
    fixedVersion: null,
    severity: 'HIGH',
    vendorStatus: null,
    target: 't',
    title: null,
    ...extra,
  });
  t.equal(matchIgnore(finding('CVE-2024-45491'), rules, Date.parse('2026-11-30T23:59:59Z'))?.statement, 'not reachable');
  t.equal(matchIgnore(finding('CVE-2024-45491'), rules, Date.parse('2026-12-01T00:00:00Z')), null, 'expired at the start of the date');
  t.ok(matchIgnore(finding('CVE-2023-3817', { purl: 'pkg:deb/debian/libssl3@3.0.11-1?arch=amd64' }), rules, 0));
  t.equal(matchIgnore(finding('CVE-2023-3817', { purl: 'pkg:deb/debian/openssl@3.0.11-1' }), rules, 0), null, 'other package');
  t.equal(matchIgnore(finding('CVE-2022-40897', { pkgPath: 'elsewhere' }), rules, 0), null, 'other path');
  t.same(parseIgnoreYaml(''), []);
  t.throws(() => parseIgnoreYaml('vulnerabilities:\n  - statement: no id\n'), /vulnerabilities\[0\]\.id missing/);
  t.throws(() => parseIgnoreYaml('vulnerabilities:\n  - id: X\n    expired_at: soon\n'), /expired_at is not a date/);
  t.throws(() => parseIgnoreYaml('vulnerabilities: [\n'), /not YAML/);
});

t.test('image references', async (t) => {
  const d = digestOf('x');
  t.equal(repositoryOf('registry.example:5000/team/app:1.2'), 'registry.example:5000/team/app');
  t.equal(repositoryOf(`registry.example:5000/app@${d}`), 'registry.example:5000/app');
  t.equal(repositoryOf(`nginx:1.27@${d}`), 'nginx');
  t.equal(digestInReference(`nginx@${d}`), d);
  t.equal(digestInReference('nginx:1.27'), null);
  t.same(parseImageId(`docker-pullable://nginx@${d}`), { repository: 'nginx', digest: d });
  t.equal(parseImageId(d), null, 'a bare config digest is not a repository digest');
  t.equal(parseImageId(''), null);
  t.equal(parseScanRequest('nope'), null);
  t.equal(parseScanRequest(JSON.stringify({ schema: 'scan-request/1', digest: d, imageRef: 'other@sha256:0' })), null, 'imageRef must carry the digest');
  t.match(parseScanRequest(JSON.stringify({ schema: 'scan-request/1', digest: d, imageRef: `r@${d}`, reason: 'db_updated' })), {
    digest: d,
    reason: 'db_updated',
    owner: null,
  });
  t.throws(() => parseStaticInventory({ workloads: [{ image: 'x', digest: 'sha256:short' }] }), /workloads\[0\]\.digest/);
  t.throws(() => parseStaticInventory({}), /expected \{"workloads"/);
});

t.test('variables', async (t) => {
  const config = loadConfig(scanVariables, { env: {}, ownPrefix: 'NETSIDECAR_SCAN_' });
  t.equal(config.NETSIDECAR_SCAN_HEALTH_PORT, 9104);
  t.same(config.NETSIDECAR_SCAN_SEVERITIES, ['CRITICAL', 'HIGH']);
  t.equal(config.NETSIDECAR_SCAN_MAX_AGE, 24 * 3_600_000);
  const set = loadConfig(scanVariables, {
    ownPrefix: 'NETSIDECAR_SCAN_',
    env: {
      NETSIDECAR_SCAN_ECS_CLUSTERS: 'prod, arn:aws:ecs:eu-west-1:123456789012:cluster/batch',
      NETSIDECAR_SCAN_EKS_CLUSTERS: 'eks-prod=https://ABC.gr7.eu-west-1.eks.amazonaws.com/',
      NETSIDECAR_SCAN_SEVERITIES: 'critical,HIGH,MEDIUM',
      NETSIDECAR_SCAN_SLACK_WEBHOOKS: '{"default":"https://hooks.slack.com/services/T/B/x","payments":"https://hooks.slack.com/services/T/B/y"}',
    },
  });
  t.same(set.NETSIDECAR_SCAN_ECS_CLUSTERS, ['prod', 'arn:aws:ecs:eu-west-1:123456789012:cluster/batch']);
  t.same(set.NETSIDECAR_SCAN_EKS_CLUSTERS, [{ name: 'eks-prod', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com' }]);
  t.same(set.NETSIDECAR_SCAN_SEVERITIES, ['CRITICAL', 'HIGH', 'MEDIUM']);
  t.same(set.NETSIDECAR_SCAN_SLACK_WEBHOOKS, {
    default: 'https://hooks.slack.com/services/T/B/x',
    teams: { payments: 'https://hooks.slack.com/services/T/B/y' },
  });
  const secret = '{"default":"https://hooks.slack.com/services/T0/B0/SECRETSECRET", "x": 1}';
  try {
    loadConfig(scanVariables, { ownPrefix: 'NETSIDECAR_SCAN_', env: { NETSIDECAR_SCAN_SLACK_WEBHOOKS: secret } });
    t.fail('should throw');
  } catch (err) {
    t.match((err as Error).message, /NETSIDECAR_SCAN_SLACK_WEBHOOKS: the webhook of team 'x' is not an http\(s\) URL/);
    t.notMatch((err as Error).message, /SECRET/, 'the webhook is never echoed');
  }
  t.throws(
    () => loadConfig(scanVariables, { ownPrefix: 'NETSIDECAR_SCAN_', env: { NETSIDECAR_SCAN_EKS_CLUSTERS: 'eks-prod' } }),
    /NETSIDECAR_SCAN_EKS_CLUSTERS: expected name=https/,
  );
  t.throws(() => loadConfig(scanVariables, { ownPrefix: 'NETSIDECAR_SCAN_', env: { NETSIDECAR_SCAN_CONCURRENCY: '0' } }), /NETSIDECAR_SCAN_CONCURRENCY/);
  t.throws(
    () => loadConfig(scanVariables, { ownPrefix: 'NETSIDECAR_SCAN_', env: { NETSIDECAR_SCAN_MAX_AGES: '1h' } }),
    /unknown variable \(did you mean NETSIDECAR_SCAN_MAX_AGE\?\)/,
  );
});
