// `tfjs-repro new`: a scenario file from a template that already passes validation, record and run,
// so a new user edits something that works instead of starting from a blank page.
import { readFile, realpath, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export const templateNames = ['dense', 'lstm', 'conv', 'text', 'multi-io'] as const;
export type TemplateName = (typeof templateNames)[number];
export interface ScaffoldOptions {
  name: string;
  template: TemplateName;
  scenariosDir: string;
  goldensDir: string;
}
export interface ScaffoldOutcome {
  /** The new scenario file, relative to the working directory. */
  file: string;
  template: TemplateName;
  nextSteps: string[];
}

const TEMPLATES = path.join(import.meta.dirname, 'templates');
const HARNESS_INDEX = path.resolve(import.meta.dirname, '..', 'index.ts');
const rel = (p: string) => path.relative(process.cwd(), p) || p;

/** Why a name cannot be a scenario's, or undefined (the same rule as validation: kebab-case). */
export function scenarioNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
    return `new: name must be kebab-case (lower-case letters and digits, single hyphens between), e.g. "my-model"; got "${name}"`;
  if (name.length > 64) return `new: name must be at most 64 characters; got ${name.length}`;
  return undefined;
}

/** How the new file imports the harness: relatively inside this repository, by package name where it is installed. */
async function harnessSpecifier(scenariosDir: string): Promise<string> {
  const real = await realpath(HARNESS_INDEX).catch(() => HARNESS_INDEX);
  if (real.split(path.sep).includes('node_modules') || HARNESS_INDEX.split(path.sep).includes('node_modules')) return 'tfjs-repro';
  const r = path.relative(scenariosDir, HARNESS_INDEX).split(path.sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

export async function scaffoldScenario(o: ScaffoldOptions): Promise<ScaffoldOutcome> {
  const problem = scenarioNameProblem(o.name);
  if (problem) throw new Error(problem);
  const scenariosDir = path.resolve(o.scenariosDir);
  const file = path.join(scenariosDir, `${o.name}.scenario.ts`);
  const golden = path.join(path.resolve(o.goldensDir), o.name);
  if (await stat(golden).catch(() => undefined))
    throw new Error(`new: ${rel(golden)} already exists (a golden without its scenario); delete it or choose another name`);
  const template = await readFile(path.join(TEMPLATES, `${o.template}.scenario.ts`), 'utf8');
  const specifier = await harnessSpecifier(scenariosDir);
  const source = template
    .replace(`name: '${o.template}-template'`, `name: '${o.name}'`)
    .replaceAll("from '../../index.ts'", `from '${specifier}'`);
  await mkdir(scenariosDir, { recursive: true });
  try {
    // 'wx': an existing file is never overwritten, even by a race.
    await writeFile(file, source, { flag: 'wx' });
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST')
      throw new Error(`new: ${rel(file)} already exists; choose another name, or delete the file first`, { cause: err });
    throw err;
  }
  // The commands name the directories when they are not the defaults, so they can be pasted as they are.
  const dirs = [
    ...(rel(scenariosDir) === 'scenarios' ? [] : [`--scenarios ${rel(scenariosDir)}`]),
    ...(rel(path.dirname(golden)) === 'goldens' ? [] : [`--goldens ${rel(path.dirname(golden))}`]),
  ].join(' ');
  const flags = dirs ? ` ${dirs}` : '';
  return {
    file: rel(file),
    template: o.template,
    nextSteps: [
      `Edit ${rel(file)}: data(), preprocessing, model() and train, for rows and a model like yours (keep it small and seeded).`,
      `Record its golden: npx tfjs-repro record ${o.name}${flags}`,
      `Run it, then commit ${rel(file)} and ${rel(golden)}/: npx tfjs-repro run ${o.name}${flags}`,
    ],
  };
}
