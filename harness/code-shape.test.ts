// The formatter, the linter and the dependency rules, run as child processes started together in
// `before` (each mostly waits on its own core), so the file costs about as long as the slowest tool.
// Each reports its findings as one failing test instead of gating `npm test`: a scenario with a type
// error must still get the harness's own message naming its file and field, and the others still run.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, copyFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

interface ToolOutcome {
  code: number;
  output: string;
}

function runNode(args: string[], cwd = root): Promise<ToolOutcome> {
  return new Promise((resolve) => {
    // Plain text whatever the terminal or CI says: the tests match the tools' messages.
    const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
    execFile(process.execPath, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

const bin = (file: string) => path.join(root, 'node_modules', file);
const biome = bin('@biomejs/biome/bin/biome');
const oxlint = bin('oxlint/bin/oxlint');
// Type errors and type-aware lint in one native pass (tsgolint types the program once for both).
const lintArgs = [oxlint, '--type-aware', '--type-check', '--config', path.join(root, '.oxlintrc.json')];
const depcruise = bin('dependency-cruiser/bin/dependency-cruise.mjs');
const depcruiseConfig = path.join(root, '.dependency-cruiser.cjs');

/**
 * A scratch project whose code has what the lint exists for: a promise from a library's `.d.ts`
 * (node:fs/promises) and one from the project left floating, an async callback where a void one is
 * expected, an unused import, and a type error. It shares the repository's node_modules (types, tsgolint).
 */
async function brokenLintTree(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-lint-'));
  const text = [
    "import { writeFile } from 'node:fs/promises';",
    "import { unused } from './y.ts';",
    'async function save(): Promise<void> {}',
    'export function f(xs: number[]): number {',
    "  writeFile('out.txt', 'x');",
    '  save();',
    '  xs.forEach(async () => save());',
    "  return 'not a number';",
    '}',
  ].join('\n');
  // Under harness/, so that the copied tsconfig.json's `include` (and its `types`) applies.
  await mkdir(path.join(dir, 'harness'));
  await writeFile(path.join(dir, 'harness', 'x.ts'), `${text}\n`);
  await writeFile(path.join(dir, 'harness', 'y.ts'), 'export const unused = 1;\n');
  await copyFile(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** A scratch tree that breaks two rules (compare/ importing checks/, a type-only tfjs import outside runtime/) and a test file that may. */
async function brokenLayeringTree(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-deps-'));
  const files: Record<string, string> = {
    'harness/checks/plan.ts': 'export const plan = 1;\n',
    'harness/compare/x.ts': "import { plan } from '../checks/plan.ts';\nexport const x = plan;\n",
    'harness/golden/y.ts': "import type { Tensor } from '@tensorflow/tfjs';\nexport type Y = Tensor;\n",
    'harness/compare/x.test.ts': "import { plan } from '../checks/plan.ts';\nexport const t = plan;\n",
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  await copyFile(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  return dir;
}

describe('code shape (formatter, linter, dependency rules)', () => {
  let format: Promise<ToolOutcome>;
  let lint: Promise<ToolOutcome>;
  let deps: Promise<ToolOutcome>;
  let brokenDeps: Promise<ToolOutcome>;
  let brokenLint: Promise<ToolOutcome>;
  let scratch: Promise<string>;
  let lintScratch: Promise<string>;

  before(() => {
    format = runNode([biome, 'format', '--reporter=summary', '.']);
    lint = runNode([...lintArgs, 'harness', 'scenarios', 'scripts', 'bin']);
    deps = runNode([depcruise, '--config', depcruiseConfig, 'harness', 'scenarios', 'scripts', 'bin']);
    scratch = brokenLayeringTree();
    brokenDeps = scratch.then((dir) => runNode([depcruise, '--config', depcruiseConfig, '--output-type', 'err', 'harness'], dir));
    lintScratch = brokenLintTree();
    // One line per finding (`file:line:col: message [Error/plugin(rule)]`), with no colours whatever the terminal or CI.
    brokenLint = lintScratch.then((dir) => runNode([...lintArgs, '--format', 'unix', 'harness/x.ts', 'harness/y.ts'], dir));
  });

  after(async () => {
    // No child outlives the file, even when a test timed out.
    await Promise.allSettled([format, lint, deps, brokenDeps, brokenLint]);
    await rm(await scratch, { recursive: true, force: true });
    await rm(await lintScratch, { recursive: true, force: true });
  });

  it('is formatted as biome.json says (fix: npm run format)', async function () {
    this.timeout(60_000);
    const { code, output } = await format;
    expect(code, output).to.equal(0);
  });

  it('has no type errors (strict tsconfig.json) and no lint errors: floating promises, misused promises, unused code (.oxlintrc.json)', async function () {
    this.timeout(120_000);
    const { code, output } = await lint;
    expect(code, output).to.equal(0);
  });

  it('fails floating promises (also from a library .d.ts), misused promises, unused imports and type errors, naming each', async function () {
    this.timeout(60_000);
    const { code, output } = await brokenLint;
    expect(code, output).to.not.equal(0);
    for (const finding of [
      /^harness\/x\.ts:5:3: .*\[Error\/typescript\(no-floating-promises\)\]$/m,
      /^harness\/x\.ts:6:3: .*\[Error\/typescript\(no-floating-promises\)\]$/m,
      /^harness\/x\.ts:7:23: .*\[Error\/typescript\(no-misused-promises\)\]$/m,
      /^harness\/x\.ts:2:10: .*\[Error\/eslint\(no-unused-vars\)\]$/m,
      /^harness\/x\.ts:8:3: .*\[Error\/typescript\(TS2322\)\]$/m,
    ]) {
      expect(output).to.match(finding);
    }
  });

  it('keeps the layering of DESIGN.md (.dependency-cruiser.cjs)', async function () {
    this.timeout(60_000);
    const { code, output } = await deps;
    expect(code, output).to.equal(0);
  });

  it('fails a layering break with a message naming the rule, and exempts test files', async function () {
    this.timeout(60_000);
    const { code, output } = await brokenDeps;
    expect(code, output).to.not.equal(0);
    expect(output).to.match(/compare-golden-import-only-types: harness\/compare\/x\.ts → harness\/checks\/plan\.ts/);
    expect(output).to.match(/tfjs-only-in-runtime: harness\/golden\/y\.ts → @tensorflow\/tfjs/);
    expect(output).to.not.include('x.test.ts');
  });
});
