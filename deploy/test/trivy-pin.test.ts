// Trivy is pinned by digest in both places it enters a deployment (the scan image's client binary
// and the worker's Trivy server sidecar), to the same release, which is not one of those compromised
// in March 2026; a config that names a tag only, or a compromised release, is refused.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compromisedTrivyVersions, defaultTrivyImage } from '../src/config.js';
import { exampleConfig, problems, repoRoot, resourcesOfType, synthesize } from './support.js';

const pinned = /^(?<repository>[^@]+?)(?::(?<tag>[^:@/]+))?@sha256:(?<digest>[0-9a-f]{64})$/;

function dockerfileTrivyImage(): string {
  const text = readFileSync(join(repoRoot, 'services/scan-scheduler/Dockerfile'), 'utf8');
  const arg = /^ARG TRIVY_IMAGE=(\S+)$/m.exec(text);
  if (!arg) throw new Error('services/scan-scheduler/Dockerfile has no ARG TRIVY_IMAGE=');
  return arg[1]!;
}

t.test('the Dockerfile and the deploy default name the same Trivy, pinned by digest, not a compromised release', async (t) => {
  const fromDockerfile = dockerfileTrivyImage();
  t.equal(fromDockerfile, defaultTrivyImage, 'one reference in both places');
  const parts = pinned.exec(defaultTrivyImage)?.groups;
  t.ok(parts, `${defaultTrivyImage} is pinned by digest`);
  t.ok(parts?.['tag'], 'the tag stays beside the digest, so a reader sees the release');
  t.notOk((compromisedTrivyVersions as readonly string[]).includes(parts?.['tag']?.replace(/^v/, '') ?? ''), 'not a compromised release');
  t.ok(fromDockerfile.startsWith('public.ecr.aws/aquasecurity/trivy:'), "Trivy's own image on ECR Public");
});

t.test('the synthesized sidecar runs the pinned image', async (t) => {
  const { json } = synthesize(exampleConfig(), t);
  const images = resourcesOfType(json, 'AWS::ECS::TaskDefinition')
    .flatMap(([, properties]) => (properties['ContainerDefinitions'] as { Image?: unknown }[] | undefined) ?? [])
    .map((c) => c.Image);
  t.ok(images.includes(defaultTrivyImage), 'a container runs exactly the default reference');
  t.notOk(
    images.some((i) => typeof i === 'string' && i.includes('aquasecurity/trivy') && i !== defaultTrivyImage),
    'no other Trivy reference',
  );
});

t.test('trivyImage must be pinned by digest and not a compromised release', async (t) => {
  const digest = 'a'.repeat(64);
  t.same(problems({ ...exampleConfig(), trivyImage: `public.ecr.aws/aquasecurity/trivy:0.70.0@sha256:${digest}` }), [], 'a later release by digest is fine');
  t.same(
    problems({ ...exampleConfig(), trivyImage: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/trivy@sha256:${digest}` }),
    [],
    'a private mirror by digest alone is fine',
  );
  t.match(
    problems({ ...exampleConfig(), trivyImage: 'public.ecr.aws/aquasecurity/trivy:0.70.0' }),
    [/config\.trivyImage: expected an image reference pinned by digest/],
    'a tag alone is refused',
  );
  for (const version of compromisedTrivyVersions) {
    t.match(
      problems({ ...exampleConfig(), trivyImage: `public.ecr.aws/aquasecurity/trivy:v${version}@sha256:${digest}` }),
      [new RegExp(`config\\.trivyImage: Trivy ${version.replace(/\./g, '\\.')} is a compromised release`)],
      `${version} is refused`,
    );
  }
});
