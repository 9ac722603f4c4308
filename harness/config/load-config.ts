// The project's tfjs-repro.config.json: where its scenarios, goldens and results live, which backends
// run by default and its tolerance defaults. One loader for the CLI, the generated mocha suite and
// the hosts, so a project elsewhere (tfjs-repro installed from npm) is configured in one place.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { toleranceLevels, type ToleranceOverrides } from '../compare/tolerance.ts';
import { backendNames, type BackendName } from '../runtime/backends.ts';

export const CONFIG_FILE = 'tfjs-repro.config.json';

export interface ProjectConfig {
  /** The config file, or undefined when none was found (the defaults, relative to the cwd). */
  file?: string;
  /** The directory holding the config file (else the cwd); the directories below are absolute. */
  root: string;
  scenariosDir: string;
  goldensDir: string;
  resultsDir: string;
  /** Backends selected when none is named (-b, TFJS_REPRO_BACKENDS); undefined: every usable one. */
  backends?: BackendName[];
  /** Project-wide tolerance overrides, beneath each scenario's own. */
  tolerance?: ToleranceOverrides;
}
export interface LoadConfigOptions {
  /** Where the search for the config file starts, walking up; default process.cwd(). */
  cwd?: string;
}

const dir = z.string().min(1, { error: () => 'must be a non-empty path (relative to the config file)' });
const tol = z.object({ atol: z.number().min(0).optional(), rtol: z.number().min(0).optional() }).strict();
const levels = z.object(Object.fromEntries(Object.keys(toleranceLevels).map((k) => [k, tol.optional()]))).strict();
const backend = z.enum(backendNames, { error: () => `must be one of ${backendNames.join(', ')}` });
const schema = z
  .object({
    $schema: z.string().optional(),
    scenariosDir: dir.optional(),
    goldensDir: dir.optional(),
    resultsDir: dir.optional(),
    backends: z
      .array(backend)
      .min(1, { error: () => 'must name at least one backend, or be left out' })
      .optional(),
    tolerance: levels
      .extend({ backends: z.partialRecord(backend, levels).optional(), outputs: z.record(z.string(), levels).optional() })
      .optional(),
  })
  .strict();

/** The nearest tfjs-repro.config.json from `cwd` upwards, if any. */
export function findConfigFile(cwd = process.cwd()): string | undefined {
  for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
    const file = path.join(d, CONFIG_FILE);
    if (fs.existsSync(file)) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys')
    return `${field}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them or check the spelling`;
  return `${field} ${issue.message.startsWith('must') ? issue.message : `must be valid: ${issue.message}`}`;
}

/** Parses a config file's text; throws naming the file and every wrong field. */
export function parseConfig(text: string, file: string): z.infer<typeof schema> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${file}: must be JSON (${(err as Error).message}); fix the syntax or run \`npx tfjs-repro init\` elsewhere to see one`,
      { cause: err },
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${describeIssue(i)}`);
    throw new Error(`${file}: invalid config:\n${lines.join('\n')}\nFix these fields (see README "Use in your own project").`);
  }
  return parsed.data;
}

/** Reads the nearest config (or the defaults: scenarios/, goldens/ and results/ under the cwd). */
export function loadConfig(options: LoadConfigOptions = {}): ProjectConfig {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const file = findConfigFile(cwd);
  const c = file ? parseConfig(fs.readFileSync(file, 'utf8'), path.relative(cwd, file) || file) : {};
  const root = file ? path.dirname(file) : cwd;
  return {
    ...(file ? { file } : {}),
    root,
    scenariosDir: path.resolve(root, c.scenariosDir ?? 'scenarios'),
    goldensDir: path.resolve(root, c.goldensDir ?? 'goldens'),
    resultsDir: path.resolve(root, c.resultsDir ?? 'results'),
    ...(c.backends ? { backends: c.backends } : {}),
    ...(c.tolerance ? { tolerance: c.tolerance as ToleranceOverrides } : {}),
  };
}
