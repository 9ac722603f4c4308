// Cached per-version matrix results: a version's outcomes are reused while nothing they depend on
// changed (scenarios, goldens, the harness, the lock file, the options), so a nightly re-run of an
// unchanged project costs a fraction of the first.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckOutcome } from '../checks/outcome.ts';
import { projectRoot } from '../runtime/load-runtime.ts';
import { cacheRoot } from './install-runtime.ts';

async function files(dir: string, keep: (f: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter(keep)
    .sort();
}

export async function resultKey(version: string, options: unknown, scenariosDir: string, goldensDir: string): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ version, options }));
  const inputs = [
    ...(await files(scenariosDir, (f) => f.endsWith('.ts'))),
    ...(await files(goldensDir, (f) => !path.basename(f).startsWith('.'))),
    ...(await files(path.join(projectRoot, 'harness'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))),
    path.join(projectRoot, 'package-lock.json'),
  ];
  for (const f of inputs) hash.update(f).update(await readFile(f).catch(() => Buffer.alloc(0)));
  return hash.digest('hex').slice(0, 24);
}

const fileFor = (version: string, key: string) => path.join(cacheRoot(), 'matrix-results', `tfjs-${version}-${key}.json`);

export async function readCachedOutcomes(version: string, key: string): Promise<CheckOutcome[] | undefined> {
  return readFile(fileFor(version, key), 'utf8').then(
    (t) => JSON.parse(t) as CheckOutcome[],
    () => undefined,
  );
}

export async function writeCachedOutcomes(version: string, key: string, outcomes: CheckOutcome[]): Promise<void> {
  const file = fileFor(version, key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp-${process.pid}`, JSON.stringify(outcomes));
  await rename(`${file}.tmp-${process.pid}`, file);
}
