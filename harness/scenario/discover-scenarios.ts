import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TrainedScenario } from './define-scenario.ts';
import { enterStep, inStep } from '../runtime/step.ts';
import { validateScenario } from './validate-scenario.ts';
import { loadConfig } from '../config/load-config.ts';
import { withToleranceDefaults } from '../config/with-tolerance-defaults.ts';
import { normalizeSource, scenarioSourceHash } from './source-hash.ts';

export const SCENARIO_SUFFIX = '.scenario.ts';
export interface LoadedScenario {
  name: string;
  file: string;
  /** SHA-256 of the scenario file and the project modules it imports (source-hash.ts); a golden recorded from another source is stale. */
  sourceHash: string;
  definition: TrainedScenario;
}
export interface BrokenScenario {
  name: string;
  file: string;
  error: string;
}
export interface Discovery {
  scenarios: LoadedScenario[];
  broken: BrokenScenario[];
}

/** Imports and validates one scenario file (the step is reported, since an import can hang). */
export async function loadScenarioFile(file: string): Promise<LoadedScenario> {
  const rel = path.relative(process.cwd(), file) || file;
  // The step is entered before the first read, so even a read that blocks names the file.
  enterStep(`import ${rel}`);
  const info = await stat(file).catch(() => undefined);
  // A FIFO or a device would block the read forever; a directory cannot be a scenario.
  if (!info?.isFile())
    throw new Error(
      `${rel}: must be a regular file (a scenario module); found ${info ? 'something else (a FIFO, a device or a directory)' : 'nothing'}`,
    );
  // Line endings are normalized so that a CRLF checkout does not make every golden stale.
  const sourceHash = await scenarioSourceHash(file, normalizeSource(await readFile(file)));
  let mod: { default?: unknown };
  try {
    // Imported by content: a host that outlives an edit of the file gets the new code, not its cache.
    mod = await inStep(`import ${rel}`, () => import(`${pathToFileURL(file).href}?source=${sourceHash.slice(0, 16)}`));
  } catch (err) {
    throw new Error(`${rel}: the file failed to load: ${(err as Error).message}`, { cause: err });
  }
  const own = validateScenario(mod.default, rel);
  // The project's tolerance defaults (tfjs-repro.config.json) sit beneath the scenario's own.
  const tolerance = withToleranceDefaults(loadConfig().tolerance, own.tolerance);
  const definition = projectModelPath(tolerance ? { ...own, tolerance } : own, file);
  const expected = path.basename(file, SCENARIO_SUFFIX);
  if (definition.name !== expected) {
    throw new Error(`${rel}: name must match the file name: "${expected}" (got "${definition.name}"); rename the file or the scenario`);
  }
  return { name: definition.name, file: rel, sourceHash, definition };
}

/**
 * A saved model's `modelPath` (models/<name>) belongs to the project that holds the scenario (the
 * nearest package.json above it), not to the working directory: a run from elsewhere, or a CLI called
 * in-process on a scratch project, must read that project's models/. Kept relative when under the cwd.
 */
function projectModelPath<T extends object>(definition: T, file: string): T {
  const d = definition as T & { source?: string; modelPath?: string };
  if (d.source !== 'saved' || !d.modelPath || path.isAbsolute(d.modelPath)) return definition;
  let dir = path.dirname(path.resolve(file));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const root = existsSync(path.join(dir, 'package.json')) ? dir : process.cwd();
  const abs = path.resolve(root, d.modelPath);
  const rel = path.relative(process.cwd(), abs);
  return { ...d, modelPath: rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs };
}

/** How many scenario files a directory holds, without importing them (0 if it does not exist). */
export function countScenarioFiles(dir: string): number {
  try {
    return readdirSync(dir).filter((f) => f.endsWith(SCENARIO_SUFFIX)).length;
  } catch {
    return 0;
  }
}

/** Imports every scenarios/*.scenario.ts; a broken file is reported, the others still load. */
export async function discoverScenarios(dir: string, filter?: (name: string) => boolean, exclude: string[] = []): Promise<Discovery> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    throw new Error(`${dir}: scenario directory not found; run from the project root or pass --scenarios <dir>`);
  }
  const files = entries.filter((f) => f.endsWith(SCENARIO_SUFFIX)).sort();
  const result: Discovery = { scenarios: [], broken: [] };
  for (const f of files) {
    const name = f.slice(0, -SCENARIO_SUFFIX.length);
    if (filter && !filter(name)) continue;
    const file = path.join(dir, f);
    if (exclude.includes(path.relative(process.cwd(), file))) continue;
    try {
      result.scenarios.push(await loadScenarioFile(file));
    } catch (err) {
      result.broken.push({ name, file: path.relative(process.cwd(), file), error: (err as Error).message });
    }
  }
  return result;
}
