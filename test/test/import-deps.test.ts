// Every package a workspace's source imports is declared in that workspace's package.json: a root
// install can hide a missing dependency until the service's own image is built (`npm ci -w`).
import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './support/spawn-service.js';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

t.test('workspaces declare what their src imports', async (t) => {
  const rootPackage = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  const workspaces: string[] = [];
  for (const pattern of rootPackage.workspaces) {
    if (!pattern.endsWith('/*')) workspaces.push(pattern);
    else for (const name of await readdir(join(repoRoot, pattern.slice(0, -2)))) workspaces.push(`${pattern.slice(0, -2)}/${name}`);
  }
  t.ok(workspaces.length >= 5);
  for (const workspace of workspaces) {
    const manifest = JSON.parse(await readFile(join(repoRoot, workspace, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
    const declared = new Set(Object.keys(manifest.dependencies ?? {}));
    const missing = new Set<string>();
    for (const file of await sourceFiles(join(repoRoot, workspace, 'src'))) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const specifier = match[1] ?? match[2]!;
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        const name = packageName(specifier);
        if (name !== manifest.name && !declared.has(name)) missing.add(name);
      }
    }
    t.same([...missing], [], `${workspace} declares every package it imports`);
  }
});
