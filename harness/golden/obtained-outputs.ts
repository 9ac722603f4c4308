// What a failing replay, agreement or reference obtained: <results>/obtained/<scenario>/outputs/<backend>.json,
// in the golden outputs codec with its provenance plus how it was obtained (the format it came through
// and the checks that failed), so `review` can show it and `accept` can promote it without re-running.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { outputsFileSchema, parseGoldenFile, type OutputsFile } from './golden-schema.ts';
import { GoldenFileError } from './strict-json-parse.ts';

export const obtainedFileSchema = outputsFileSchema
  .extend({
    /** The save format the predictions came through (memory, file, http). */
    format: z.string(),
    /** The checks that failed on these predictions, first first (replay, agreement, reference). */
    checks: z.array(z.string()).min(1),
  })
  .strict();
export type ObtainedFile = z.infer<typeof obtainedFileSchema>;

/** Where obtained outputs of one scenario × backend are written under a results directory. */
export function obtainedPath(results: string, scenario: string, backend: string): string {
  return path.join(results, 'obtained', scenario, 'outputs', `${backend}.json`);
}

/** Writes (or replaces) an obtained file atomically: a reader sees the old file or the new, never half. */
export async function writeObtained(results: string, file: ObtainedFile): Promise<string> {
  const target = obtainedPath(results, file.scenario, file.backend);
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(file, null, 1) + '\n');
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return target;
}

/** Reads and checks an obtained file; errors name the file and the field. */
export async function readObtained(results: string, scenario: string, backend: string): Promise<ObtainedFile | undefined> {
  const file = obtainedPath(results, scenario, backend);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const rel = path.relative(process.cwd(), file);
  const parsed = parseGoldenFile(obtainedFileSchema, text, rel);
  for (const [field, expected] of [
    ['scenario', scenario],
    ['backend', backend],
  ] as const) {
    if (parsed[field] !== expected)
      throw new GoldenFileError(
        rel,
        field,
        `${rel}: ${field} must be "${expected}" (from the file's path), found "${parsed[field]}"; delete the file and run again`,
      );
  }
  return parsed;
}

export async function removeObtained(results: string, scenario: string, backend: string): Promise<void> {
  const file = obtainedPath(results, scenario, backend);
  await rm(file, { force: true });
  // An empty scenario directory is removed too, so `review` lists nothing that is gone.
  await rmdir(path.dirname(file)).catch(() => undefined);
  await rmdir(path.dirname(path.dirname(file))).catch(() => undefined);
}

export interface ObtainedEntry {
  scenario: string;
  backend: string;
  file: string;
}

/** Every obtained file under a results directory, by scenario then backend; `scenarios` narrows it. */
export async function listObtained(results: string, scenarios?: string[]): Promise<ObtainedEntry[]> {
  const root = path.join(results, 'obtained');
  const names = (await readdir(root).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).sort();
  const entries: ObtainedEntry[] = [];
  for (const scenario of names) {
    if (scenarios?.length && !scenarios.includes(scenario)) continue;
    const files = await readdir(path.join(root, scenario, 'outputs')).catch(() => [] as string[]);
    for (const f of files.filter((n) => n.endsWith('.json')).sort()) {
      const backend = f.slice(0, -'.json'.length);
      entries.push({ scenario, backend, file: obtainedPath(results, scenario, backend) });
    }
  }
  return entries;
}

/** The golden outputs file an obtained file becomes when accepted: the same provenance, without how it was obtained. */
export function toOutputsFile(o: ObtainedFile): OutputsFile {
  const { format: _format, checks: _checks, ...outputs } = o;
  return outputs;
}
