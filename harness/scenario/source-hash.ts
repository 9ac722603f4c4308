// The hash a golden's staleness is judged by: the scenario file, plus the project modules it imports
// (its own helpers and preprocessing steps, followed transitively) and the `models/<name>/` directories
// it names. The harness and node_modules are left out, so a harness change does not stale every golden;
// a scenario that imports no project module keeps the plain SHA-256 of its text.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const HARNESS_DIR = await realpath(path.resolve(import.meta.dirname, '..'));
const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cts', '.cjs'];
// Static imports and re-exports, side-effect imports, dynamic import() and require() of a string literal.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;
const MODELS_DIR = /['"`](?:\.{1,2}\/)*models\/([A-Za-z0-9][\w.-]*)/g;
// What a model directory holds for the framework-side checks (the reference outputs, declared findings):
// tfjs's predictions do not depend on them, so editing them must not stale the tfjs goldens.
const NOT_TFJS_INPUTS = /^(reference\/|reference[\w-]*\.json$|known-findings\.json$)/;

/** CRLF is normalized so that a Windows checkout does not make every golden stale. */
export const normalizeSource = (bytes: Buffer): string => bytes.toString('utf8').replace(/\r\n/g, '\n');
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
/** The harness (also through a link, as in a scratch project or `npm link`) and installed packages are not the project's. */
async function outsideProject(file: string): Promise<boolean> {
  const real = await realpath(file).catch(() => file);
  return [file, real].some((f) => f.startsWith(HARNESS_DIR + path.sep) || f.split(path.sep).includes('node_modules'));
}

async function resolveRelative(from: string, specifier: string): Promise<string | undefined> {
  const base = path.resolve(path.dirname(from), specifier.split('?')[0]!);
  const candidates = [
    base,
    ...(base.endsWith('.js') ? [base.slice(0, -3) + '.ts'] : []),
    ...MODULE_EXTENSIONS.map((e) => base + e),
    ...MODULE_EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
  for (const c of candidates) if (await isFile(c)) return c;
  return undefined;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files.push(...(await filesUnder(p)));
    else if (e.isFile()) files.push(p);
  }
  return files;
}

/** The project files a scenario depends on besides itself, absolute and sorted: imported modules and `models/<name>/` files. */
export async function scenarioDependencies(file: string, source: string): Promise<string[]> {
  const root = path.resolve(file);
  const found = new Set<string>();
  const queue: Array<{ file: string; text: string }> = [{ file: root, text: source }];
  while (queue.length) {
    const { file: from, text } = queue.shift()!;
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[2]!;
      if (!spec.startsWith('./') && !spec.startsWith('../')) continue;
      const dep = await resolveRelative(from, spec);
      if (!dep || dep === root || found.has(dep) || (await outsideProject(dep))) continue;
      found.add(dep);
      if (MODULE_EXTENSIONS.includes(path.extname(dep))) queue.push({ file: dep, text: normalizeSource(await readFile(dep)) });
    }
    for (const m of text.matchAll(MODELS_DIR)) {
      for (const dir of new Set([path.resolve(path.dirname(root), '..', 'models', m[1]!), path.resolve('models', m[1]!)])) {
        for (const f of await filesUnder(dir))
          if (!NOT_TFJS_INPUTS.test(path.relative(dir, f).split(path.sep).join('/')) && !(await outsideProject(f))) found.add(f);
      }
    }
  }
  return [...found].sort();
}

/** SHA-256 of the scenario's source, extended by each dependency's path (from the scenario's directory) and content. */
export async function scenarioSourceHash(file: string, source?: string): Promise<string> {
  const text = source ?? normalizeSource(await readFile(file));
  const deps = await scenarioDependencies(file, text);
  if (!deps.length) return sha256(text);
  const hash = createHash('sha256').update(text);
  for (const dep of deps) {
    const rel = path
      .relative(path.dirname(path.resolve(file)), dep)
      .split(path.sep)
      .join('/');
    const bytes = await readFile(dep);
    hash.update(`\u0000${rel}\u0000${sha256(MODULE_EXTENSIONS.includes(path.extname(dep)) ? normalizeSource(bytes) : bytes)}`);
  }
  return hash.digest('hex');
}
