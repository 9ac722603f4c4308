#!/usr/bin/env node
// Builds the native binding of @tensorflow/tfjs-node without its
// normal install step (which downloads libtensorflow and a prebuilt addon from
// a host this environment cannot reach).
//
// Recipe: libtensorflow comes from the PyPI wheel tensorflow-cpu==TF_VERSION
// (its tensorflow/libtensorflow_cc.so.2 exports the TF_*/TFE_* C API), the C
// API headers come from the same wheel, and the addon is compiled with the
// node-gyp that ships inside npm against the local Node headers.
//
// Usage (from the project root): node scripts/setup-native.mjs [--force] [--tfjs 3.21.0,4.10.0 | --dir <root>]
//   --force   rebuild even if @tensorflow/tfjs-node already loads
//   --tfjs    build the binding of each listed version in its side-by-side runtime
//             (~/.cache/tfjs-repro/runtimes/tfjs-<version>/, installed by `tfjs-repro matrix`),
//             against the same libtensorflow; each version's build is cached in its runtime
//   --dir     build in that directory's node_modules instead of the project's
// Env: TFJS_REPRO_CACHE (default ~/.cache/tfjs-repro), TFJS_REPRO_JOBS (default 2),
//      TFJS_REPRO_NODEDIR (Node headers root, i.e. the dir holding include/node).
// Only Node builtins are used. Exit code 0 = the binding loads and computes.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// ---- pinned inputs ---------------------------------------------------------
const TF_VERSION = '2.13.1';
const WHEEL_NAME = `tensorflow_cpu-${TF_VERSION}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`;
const WHEEL_SHA256 = '87be6e61314b2c0fa062f71e26e41d6a17e162ffe4da72c820fe8f1fc94d97fe';
// Asked of pip explicitly, so the download does not depend on the local Python version.
const PIP_TARGET = ['--python-version', '3.11', '--implementation', 'cp', '--abi', 'cp311', '--platform', 'manylinux2014_x86_64'];
// Wheel members to extract: the two libs by exact name, headers by regex (covers the
// header layouts of TF 2.12..2.21: tensorflow/tsl, tsl, xla/tsl).
const WHEEL_LIBS = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'];
const WHEEL_HEADER_RE = String.raw`^tensorflow/include/((tensorflow/c/.*\.h)|((tensorflow/|xla/)?tsl/c/.*\.h)|((tensorflow/core|tensorflow/tsl|tsl|xla/tsl)/platform/ctstring.*\.h))$`;
// Name libtensorflow_cc.so.2 also under the names tfjs-node expects; the 2.9.1
// names keep tfjs-node's own scripts/install.js from wiping deps/ if it ever runs.
const LIB_ALIASES = {
  'libtensorflow.so': 'libtensorflow_cc.so.2',
  'libtensorflow.so.2': 'libtensorflow_cc.so.2',
  'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
  'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
  'libtensorflow_framework.so.2.9.1': 'libtensorflow_framework.so.2',
};

const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const cacheRoot = process.env.TFJS_REPRO_CACHE || path.join(os.homedir(), '.cache', 'tfjs-repro');
const projectDir = path.resolve(argValue('--dir') ?? process.cwd());
const force = process.argv.includes('--force');
const jobs = process.env.TFJS_REPRO_JOBS || String(Math.min(2, os.cpus().length || 1));
const pkgDir = path.join(projectDir, 'node_modules', '@tensorflow', 'tfjs-node');
const quietEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };

const t0 = Date.now();
const log = (msg) => console.log(`[setup-native +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

class StepError extends Error {
  constructor(step, msg) {
    super(`${step}: ${msg}`);
    this.step = step;
  }
}
function fail(step, msg) {
  throw new StepError(step, msg);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  return { ok: r.status === 0 && !r.error, status: r.status, error: r.error, stdout: r.stdout || '', stderr: r.stderr || '' };
}
const tail = (s, n = 25) => s.trim().split('\n').slice(-n).join('\n');

// A child process that loads tfjs-node (from the project it checks) and checks one matmul; first the util
// functions tfjs-node calls, which Node 24 removed and Node 22 warns about.
const UTIL_COMPAT = pathToFileURL(path.join(import.meta.dirname, '..', 'harness', 'runtime', 'node-util-compat.mjs')).href;
const PROBE = `
import { createRequire } from 'node:module';
import { patchUtilForTfjsNode } from ${JSON.stringify(UTIL_COMPAT)};
patchUtilForTfjsNode();
const tf = createRequire(process.cwd() + '/')('@tensorflow/tfjs-node');
const out = Array.from(tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dataSync());
const tfv = tf.backend().binding && tf.backend().binding.TF_Version;
if (tf.getBackend() !== 'tensorflow' || out.join() !== '2,2,2,2') {
  console.error('unexpected result: backend=' + tf.getBackend() + ' matmul=' + out.join());
  process.exit(3);
}
console.log(JSON.stringify({ backend: tf.getBackend(), tf: tfv, tfjsNode: tf.version['tfjs-node'], matmul: out }));
`;
function probe() {
  const r = run(process.execPath, ['--input-type=module', '-e', PROBE], { cwd: projectDir, env: quietEnv });
  return { ...r, info: r.ok ? r.stdout.trim().split('\n').pop() : '' };
}

function readJson(p) {
  return JSON.parse(fs.readFileSync(p, 'utf8'));
}

// ---- steps -----------------------------------------------------------------
function ensureTfjsNodeInstalled() {
  const step = 'install @tensorflow/tfjs-node';
  if (fs.existsSync(path.join(pkgDir, 'package.json'))) return;
  let version;
  const tfjsPkg = path.join(projectDir, 'node_modules', '@tensorflow', 'tfjs', 'package.json');
  if (fs.existsSync(tfjsPkg)) version = readJson(tfjsPkg).version;
  else {
    const pj = readJson(path.join(projectDir, 'package.json'));
    const spec = { ...pj.devDependencies, ...pj.optionalDependencies, ...pj.dependencies }['@tensorflow/tfjs'];
    if (!spec) fail(step, 'no @tensorflow/tfjs in node_modules or package.json; cannot tell which tfjs-node version to install');
    version = spec.replace(/^[\^~=v]+/, '');
  }
  log(`@tensorflow/tfjs-node is not in node_modules; installing @tensorflow/tfjs-node@${version} (--no-save --ignore-scripts)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = run(npm, ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `@tensorflow/tfjs-node@${version}`], {
    cwd: projectDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!r.ok || !fs.existsSync(path.join(pkgDir, 'package.json'))) {
    fail(step, `npm install failed (exit ${r.status})\n${tail(r.stderr || r.stdout)}`);
  }
}

// Some releases were published without their compiled JavaScript (tfjs-node 3.21.0 has no dist/):
// no build can make those load, so say so before compiling.
function checkPackageComplete() {
  const pj = readJson(path.join(pkgDir, 'package.json'));
  const main = path.join(pkgDir, pj.main || 'index.js');
  if (!fs.existsSync(main))
    fail(
      'package',
      `@tensorflow/tfjs-node@${pj.version} as published on npm lacks its entry point ${path.relative(pkgDir, main)} (package.json "main"); this release cannot load on any machine, whatever libtensorflow it is built against`,
    );
}

function checkPlatform() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail('platform', `only linux-x64 is supported by this recipe (got ${process.platform}-${process.arch})`);
  }
}

function findPython() {
  for (const py of ['python3', 'python']) {
    const r = run(py, ['-c', 'import sys; print(sys.version_info[0])']);
    if (r.ok && r.stdout.trim() === '3') return py;
  }
  fail('python', 'python3 not found; it is needed by pip (wheel download), the wheel extraction and node-gyp');
}

function checkPip(python) {
  const r = run(python, ['-m', 'pip', '--version']);
  if (!r.ok)
    fail(
      'pip',
      `"${python} -m pip" does not work (apt-get install python3-pip); pip is needed to fetch the tensorflow-cpu wheel from PyPI\n${tail(r.stderr, 5)}`,
    );
}

function checkCompiler() {
  for (const [tool, args] of [
    ['g++', ['--version']],
    ['make', ['--version']],
  ]) {
    const r = run(tool, args);
    if (!r.ok) fail('compiler', `"${tool}" not found or not working (apt-get install g++ make); needed to build the addon`);
  }
}

function findNodeDir() {
  const step = 'node headers';
  const candidates = [
    process.env.TFJS_REPRO_NODEDIR,
    process.env.npm_config_nodedir,
    path.resolve(path.dirname(process.execPath), '..'),
    '/usr',
    '/usr/local',
  ].filter(Boolean);
  for (const dir of candidates) {
    const inc = path.join(dir, 'include', 'node');
    if (fs.existsSync(path.join(inc, 'node_api.h')) && fs.existsSync(path.join(inc, 'common.gypi'))) {
      const vh = fs.readFileSync(path.join(inc, 'node_version.h'), 'utf8');
      const v = ['MAJOR', 'MINOR', 'PATCH'].map((k) => (vh.match(new RegExp(`define NODE_${k}_VERSION (\\d+)`)) || [])[1]).join('.');
      if (`v${v}` !== process.version) log(`note: headers in ${inc} are v${v}, node is ${process.version} (fine for N-API)`);
      return dir;
    }
  }
  fail(
    step,
    `no Node headers (include/node/node_api.h + common.gypi) in ${candidates.join(', ')}; set TFJS_REPRO_NODEDIR (nothing can be downloaded from nodejs.org here)`,
  );
}

function findNodeGyp() {
  const npmCli = (() => {
    try {
      return fs.realpathSync(run('which', ['npm']).stdout.trim());
    } catch {
      return '';
    }
  })();
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(projectDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    npmCli && path.join(path.dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  ].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return path.resolve(c);
  fail('node-gyp', `node-gyp not found (looked in ${candidates.join(', ')})`);
}

function sha256(file) {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  let n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

function ensureWheel(python) {
  const step = 'wheel';
  const dir = path.join(cacheRoot, 'wheels');
  const whl = path.join(dir, WHEEL_NAME);
  if (fs.existsSync(whl)) {
    if (sha256(whl) === WHEEL_SHA256) {
      log(`wheel cached: ${whl}`);
      return whl;
    }
    log('cached wheel has a wrong sha256; downloading again');
    fs.rmSync(whl);
  }
  checkPip(python);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dir, '.dl-'));
  log(`downloading tensorflow-cpu==${TF_VERSION} wheel (~187 MB) with pip`);
  const r = run(python, [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    ...PIP_TARGET,
    `tensorflow-cpu==${TF_VERSION}`,
    '-d',
    tmp,
    '--disable-pip-version-check',
  ]);
  const got = path.join(tmp, WHEEL_NAME);
  if (!r.ok || !fs.existsSync(got)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    fail(step, `wheel not reachable: pip download tensorflow-cpu==${TF_VERSION} failed (exit ${r.status})\n${tail(r.stderr || r.stdout)}`);
  }
  const sum = sha256(got);
  if (sum !== WHEEL_SHA256) {
    fs.rmSync(tmp, { recursive: true, force: true });
    fail(step, `sha256 mismatch for ${WHEEL_NAME}: got ${sum}, expected ${WHEEL_SHA256}`);
  }
  fs.renameSync(got, whl);
  fs.rmSync(tmp, { recursive: true, force: true });
  return whl;
}

// Extracted libs + headers, cached next to the wheel (python3's zipfile; no unzip needed).
function ensureExtracted(python, getWheel) {
  const step = 'extract';
  const dest = path.join(cacheRoot, `libtensorflow-${TF_VERSION}`);
  if (fs.existsSync(path.join(dest, '.complete'))) {
    log(`libtensorflow cached: ${dest}`);
    return dest;
  }
  const whl = getWheel();
  fs.rmSync(dest, { recursive: true, force: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const py = `
import re, sys, zipfile, shutil, os
whl, out, libs, hre = sys.argv[1], sys.argv[2], sys.argv[3].split(','), re.compile(sys.argv[4])
n = 0
with zipfile.ZipFile(whl) as z:
    names = set(z.namelist())
    for lib in libs:
        if lib not in names: sys.exit('missing in wheel: ' + lib)
    for name in names:
        if name in libs: target = os.path.join(out, 'lib', os.path.basename(name))
        else:
            m = hre.match(name)
            if not m: continue
            target = os.path.join(out, 'include', m.group(1))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst: shutil.copyfileobj(src, dst, 1 << 20)
        n += 1
print(n)
`;
  log('extracting libtensorflow_cc/framework + C API headers from the wheel');
  const r = run(python, ['-c', py, whl, tmp, WHEEL_LIBS.join(','), WHEEL_HEADER_RE]);
  if (!r.ok) {
    fs.rmSync(tmp, { recursive: true, force: true });
    fail(step, `extracting ${whl} failed\n${tail(r.stderr || r.stdout)}`);
  }
  for (const lib of WHEEL_LIBS) fs.chmodSync(path.join(tmp, 'lib', path.basename(lib)), 0o755);
  fs.writeFileSync(path.join(tmp, '.complete'), `${WHEEL_NAME}\n`);
  fs.renameSync(tmp, dest);
  return dest;
}

// The TF_*/TFE_* functions the addon calls must be exported by the two libs.
function checkSymbols(libDir) {
  const step = 'symbol check';
  const bindingDir = path.join(pkgDir, 'binding');
  const src = fs
    .readdirSync(bindingDir)
    .filter((f) => /\.(cc|h)$/.test(f))
    .map((f) => fs.readFileSync(path.join(bindingDir, f), 'utf8'))
    .join('\n');
  // TF_TString_* are inline in the headers; *Auto* are the addon's own RAII classes.
  const needed = [...new Set([...src.matchAll(/\b(TFE?_[A-Za-z0-9_]+)\s*\(/g)].map((m) => m[1]))].filter(
    (s) => !/^TF_TString_|Auto/.test(s),
  );
  const have = new Set();
  for (const lib of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    const r = run('nm', ['-D', '--defined-only', path.join(libDir, lib)]);
    if (!r.ok) {
      log(`note: nm not usable (${r.error ? r.error.code : r.status}); skipping symbol check`);
      return;
    }
    for (const line of r.stdout.split('\n')) {
      const name = line.trim().split(/\s+/)[2];
      if (name) have.add(name.replace(/@.*/, ''));
    }
  }
  const missing = needed.filter((s) => !have.has(s));
  if (missing.length) fail(step, `symbol missing from libtensorflow ${TF_VERSION}: ${missing.join(', ')}`);
  log(`symbol check: all ${needed.length} TF_/TFE_ functions used by the addon are exported`);
}

function linkOrCopy(src, dst) {
  try {
    fs.linkSync(src, dst);
  } catch {
    fs.copyFileSync(src, dst);
  }
}

function stageDeps(extracted) {
  const step = 'stage deps';
  const deps = path.join(pkgDir, 'deps');
  try {
    fs.rmSync(deps, { recursive: true, force: true });
    fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
    for (const lib of WHEEL_LIBS.map((l) => path.basename(l))) {
      linkOrCopy(path.join(extracted, 'lib', lib), path.join(deps, 'lib', lib));
    }
    for (const [alias, target] of Object.entries(LIB_ALIASES)) fs.symlinkSync(target, path.join(deps, 'lib', alias));
    fs.cpSync(path.join(extracted, 'include'), path.join(deps, 'include'), { recursive: true });
    fs.writeFileSync(path.join(deps, 'SOURCE.txt'), `tensorflow-cpu ${TF_VERSION} wheel ${WHEEL_NAME} sha256 ${WHEEL_SHA256}\n`);
  } catch (e) {
    fail(step, `could not stage into ${deps}: ${e.message}`);
  }
  log(`staged deps into ${path.relative(projectDir, deps)}`);
}

// Ask node-pre-gyp (a tfjs-node dependency) where tfjs-node will look for the addon.
function bindingTarget() {
  const r = run(process.execPath, ['-e', "console.log(require('@mapbox/node-pre-gyp').find(require('path').resolve('package.json')))"], {
    cwd: pkgDir,
  });
  let p = r.ok ? r.stdout.trim().split('\n').pop() : '';
  if (!p) {
    const pj = readJson(path.join(pkgDir, 'package.json'));
    const napi = Math.max(...pj.binary.napi_versions.filter((v) => v <= Number(process.versions.napi)));
    p = path.join(pkgDir, pj.binary.module_path.replace('{napi_build_version}', napi), 'tfjs_binding.node');
  }
  const napi = (p.match(/napi-v(\d+)/) || [])[1];
  if (!napi) fail('node-gyp', `cannot tell the N-API build version from ${p}`);
  return { modulePath: path.dirname(p), napi };
}

function build(nodeGyp, nodeDir) {
  const step = 'build (node-gyp)';
  const { modulePath, napi } = bindingTarget();
  // One log per runtime: versions built side by side must not overwrite each other's.
  const logFile = projectDir === process.cwd() ? path.join(cacheRoot, 'build.log') : path.join(projectDir, 'tfjs-node-build.log');
  log(`node-gyp rebuild (-j ${jobs}, nodedir ${nodeDir}, napi-v${napi})`);
  const r = run(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      `--nodedir=${nodeDir}`,
      '-j',
      jobs,
      '--module_name=tfjs_binding',
      `--module_path=${modulePath}`,
      `--napi_build_version=${napi}`,
    ],
    { cwd: pkgDir, env: { ...process.env, npm_config_nodedir: nodeDir } },
  );
  fs.mkdirSync(cacheRoot, { recursive: true });
  fs.writeFileSync(logFile, r.stdout + r.stderr);
  if (!r.ok) fail(step, `node-gyp rebuild failed (exit ${r.status}); full log: ${logFile}\n${tail(r.stdout + r.stderr)}`);
  const node = path.join(modulePath, 'tfjs_binding.node');
  if (!fs.existsSync(node)) fail(step, `build finished but ${node} is missing; log: ${logFile}`);
  log(`built ${path.relative(projectDir, node)}`);
}

// ---- main ------------------------------------------------------------------
function main() {
  if (!force && fs.existsSync(path.join(pkgDir, 'package.json'))) {
    const p = probe();
    if (p.ok) {
      log(`@tensorflow/tfjs-node already works: ${p.info}`);
      return 0;
    }
    log('@tensorflow/tfjs-node does not load yet; building it');
  }
  checkPlatform();
  ensureTfjsNodeInstalled();
  checkPackageComplete();
  const python = findPython();
  checkCompiler();
  const nodeDir = findNodeDir();
  const nodeGyp = findNodeGyp();
  const extracted = ensureExtracted(python, () => ensureWheel(python));
  checkSymbols(path.join(extracted, 'lib'));
  stageDeps(extracted);
  build(nodeGyp, nodeDir);
  const p = probe();
  if (!p.ok) fail('verify', `the addon built but does not load/compute:\n${tail(p.stderr || p.stdout)}`);
  log(`OK: ${p.info}`);
  return 0;
}

// --tfjs: one child per version (this script with --dir), so a failing version names itself and the others still build.
function forVersions(list) {
  let failed = 0;
  const ownPkg = path.join(projectDir, 'node_modules', '@tensorflow', 'tfjs', 'package.json');
  const own = fs.existsSync(ownPkg) ? readJson(ownPkg).version : undefined;
  for (const version of list
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)) {
    // The project's own version runs in place, from the project's node_modules.
    const dir = version === own ? projectDir : path.join(cacheRoot, 'runtimes', `tfjs-${version}`);
    if (dir !== projectDir && !fs.existsSync(path.join(dir, 'tfjs-repro-runtime.json'))) {
      console.error(
        `[setup-native] tfjs ${version}: not installed in ${dir}; install it first with: npx tfjs-repro matrix --tfjs ${version} -b cpu`,
      );
      failed++;
      continue;
    }
    log(`tfjs ${version}: building @tensorflow/tfjs-node@${version} in ${dir}`);
    const args = [process.argv[1], '--dir', dir, ...(force ? ['--force'] : [])];
    const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
  return failed ? 1 : 0;
}

try {
  const versions = argValue('--tfjs');
  process.exitCode = versions ? forVersions(versions) : main();
} catch (e) {
  console.error(`[setup-native] FAILED at step ${e instanceof StepError ? e.message : `unexpected error: ${e.stack}`}`);
  process.exitCode = 1;
}
