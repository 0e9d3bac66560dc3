// Every service's Dockerfile: lint-clean with dockerfile-utils (every check at error level), every
// path it copies exists (or is built by the build stage from sources that exist), and the rules of
// issue 5: multi-stage on Node 22 slim, `npm ci --omit=dev` of that one workspace, non-root, the data
// dir as a volume, node as PID 1 in exec form. Images cannot be built here; this is what can be known.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationSeverity, validate, type ValidatorSettings } from 'dockerfile-utils';
import { serviceNames, serviceSpecs } from '../src/services.js';
import { dataDir } from '../src/task-definition.js';
import { repoRoot } from './support.js';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with line continuations joined and comments dropped. */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((line, index) => {
    if (pending === '' && /^\s*(#|$)/.test(line)) return;
    if (pending === '') start = index + 1;
    if (/\\\s*$/.test(line)) {
      pending += line.replace(/\\\s*$/, ' ');
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const match = /^(\w+)\s+(.*)$/s.exec(full);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start });
  });
  return out;
}

const strict: ValidatorSettings = Object.fromEntries(
  [
    'deprecatedMaintainer',
    'directiveCasing',
    'emptyContinuationLine',
    'instructionCasing',
    'instructionCmdMultiple',
    'instructionEntrypointMultiple',
    'instructionHealthcheckMultiple',
    'instructionJSONInSingleQuotes',
    'instructionWorkdirRelative',
  ].map((k) => [k, ValidationSeverity.ERROR]),
);

/** @netsidecar/* workspaces a package needs at run time, transitively: what the image must carry. */
function workspaceClosure(packageDir: string, seen = new Set<string>()): Set<string> {
  const pkg = JSON.parse(readFileSync(join(repoRoot, packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!name.startsWith('@netsidecar/')) continue;
    const dir = `packages/${name.slice('@netsidecar/'.length)}`;
    if (!seen.has(dir) && existsSync(join(repoRoot, dir))) {
      seen.add(dir);
      workspaceClosure(dir, seen);
    }
  }
  return seen;
}

t.test('the lint can fail', async (t) => {
  const problems = validate('from node:22-bookworm-slim\nworkdir app\nCMD ["a"]\nCMD [\'b\']\n', strict);
  t.ok(problems.length >= 3, problems.map((p) => p.message).join('; '));
});

for (const name of serviceNames) {
  const workspace = `services/${serviceSpecs[name].workspace}`;
  const file = join(repoRoot, workspace, 'Dockerfile');
  t.test(`${workspace}/Dockerfile`, async (t) => {
    t.ok(existsSync(file), 'exists');
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    t.same(
      validate(text, strict).map((d) => `${d.range.start.line + 1}: ${d.message}`),
      [],
      'dockerfile-utils: no diagnostic',
    );

    const list = instructions(text);
    const stages = list.filter((i) => i.keyword === 'FROM');
    const nodeStages = stages.filter((s) => /^node:22-[a-z]+-slim\b/.test(s.args));
    t.ok(nodeStages.length >= 2, 'multi-stage, Node 22 LTS slim for build and run');
    const stageNames = new Map(stages.map((s) => [/\bAS\s+(\S+)/i.exec(s.args)?.[1] ?? '', s.args.split(/\s+/)[0]!]));
    t.match(stages.at(-1)!.args, /^node:22-[a-z]+-slim$/, 'the runtime stage is Node 22 slim');

    const runs = list
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    t.match(runs, new RegExp(`npm ci --omit=dev [^\\n]*--workspace ${workspace.replace('/', '\\/')}\\b`), 'production dependencies of this workspace only');
    t.match(runs, /--include-workspace-root=false/, "not the root workspace's");

    // Every COPY source exists: in the build context, or made by the build stage from sources that exist.
    const copies = list.filter((i) => i.keyword === 'COPY');
    const copied = new Set<string>();
    for (const copy of copies) {
      const parts = copy.args.split(/\s+/);
      const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
      const paths = parts.filter((p) => !p.startsWith('--'));
      const sources = paths.slice(0, -1);
      t.ok(sources.length >= 1, `line ${copy.line}: COPY has a source and a destination`);
      for (const source of sources) {
        if (from === undefined) {
          t.ok(existsSync(join(repoRoot, source)), `line ${copy.line}: ${source} exists in the build context`);
          continue;
        }
        const base = stageNames.get(from);
        t.ok(base !== undefined, `line ${copy.line}: stage ${from} is declared`);
        if (base === undefined || !base.startsWith('node:')) {
          // Another image's file (Trivy's binary): that image must be pinned to a version.
          t.match(text, /ARG TRIVY_IMAGE=\S+:\d+\.\d+\.\d+/, `line ${copy.line}: ${from} is a pinned image`);
          continue;
        }
        t.match(source, /^\/app\//, `line ${copy.line}: from the build stage's /app`);
        const relative = source.slice('/app/'.length);
        copied.add(relative);
        if (relative === 'node_modules') {
          t.ok(existsSync(join(repoRoot, 'package-lock.json')), 'node_modules: npm ci from the lock file');
        } else if (relative.endsWith('/dist')) {
          const pkg = relative.slice(0, -'/dist'.length);
          t.ok(
            existsSync(join(repoRoot, pkg, 'src')) && existsSync(join(repoRoot, pkg, 'tsconfig.json')),
            `line ${copy.line}: ${relative} is built by tsc -b from ${pkg}/src`,
          );
          t.match(runs, new RegExp(`tsc -b ${workspace.replace('/', '\\/')}\\b`), 'the build stage compiles this workspace (and its references)');
        } else {
          t.ok(existsSync(join(repoRoot, relative)), `line ${copy.line}: ${relative} exists`);
        }
      }
    }
    for (const dir of [...workspaceClosure(workspace), workspace]) {
      t.ok(copied.has(`${dir}/package.json`) && copied.has(`${dir}/dist`), `carries ${dir} (package.json and dist), which ${workspace} needs at run time`);
    }

    // Runs as the image's non-root user, with the data dir as the only writable place.
    const user = list.filter((i) => i.keyword === 'USER').at(-1);
    t.equal(user?.args, 'node', 'non-root user');
    t.ok(
      list.some((i) => i.keyword === 'VOLUME' && i.args === dataDir),
      `VOLUME ${dataDir}`,
    );
    t.match(runs, new RegExp(`chown .*node:node ${dataDir}`), 'the data dir belongs to the user');
    t.ok(list.some((i) => i.keyword === 'ENV' && /NETSIDECAR_DATA_DIR=\/var\/lib\/netsidecar/.test(i.args)));

    // node is PID 1 (exec form, no shell) so SIGTERM reaches the service's drain.
    const start = list.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
    const entry = start.find((i) => i.keyword === 'ENTRYPOINT') ?? start.find((i) => i.keyword === 'CMD');
    t.ok(entry, 'has a start command');
    if (entry) {
      const argv = JSON.parse(entry.args) as string[];
      t.equal(argv[0], 'node', `${entry.keyword} starts node directly (exec form)`);
      // node flags (V8 options NODE_OPTIONS does not allow) may come before the script.
      const script = argv.slice(1).find((arg) => !arg.startsWith('-'));
      t.ok(
        script && existsSync(join(repoRoot, workspace, 'src', script.replace(/^.*\/dist\//, '').replace(/\.js$/, '.ts'))),
        `${script} is built from a source file`,
      );
    }
    for (const port of [serviceSpecs[name].healthPort, ...serviceSpecs[name].listeners.map((l) => l.containerPort)]) {
      t.match(
        list
          .filter((i) => i.keyword === 'EXPOSE')
          .map((i) => i.args)
          .join(' '),
        new RegExp(`\\b${port}/`),
        `EXPOSE ${port}`,
      );
    }
  });
}
