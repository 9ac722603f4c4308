#!/usr/bin/env node
// Builds the Python toolchain that imports Keras/TensorFlow models and records their reference
// outputs: a venv in the cache with tensorflow-cpu 2.13.1 (the wheel scripts/setup-native.mjs caches),
// the tensorflowjs converter and scikit-learn, installed from the hash-pinned
// scripts/python/requirements.txt with --no-deps (why: see that file).
//
// Usage (from the project root): node scripts/setup-python.mjs [--force]
//   --force   rebuild the venv even if it is complete
// Env: TFJS_REPRO_CACHE (default ~/.cache/tfjs-repro), TFJS_REPRO_PYTHON (a CPython 3.11 to build the venv from).
// Idempotent: when <cache>/python holds a venv completed for this requirements file, it only says so.
// Only Node builtins are used. Exit code 0 = the venv imports everything and converts a tiny .h5.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MARKER_NAME,
  REQUIREMENTS_FILE,
  cacheRoot,
  pythonToolchainStatus,
  requirementsHash,
  venvDir,
  venvPython,
} from './python/locate.mjs';

// The same pinned wheel as scripts/setup-native.mjs (keep both in step).
const TF_VERSION = '2.13.1';
const WHEEL_NAME = `tensorflow_cpu-${TF_VERSION}-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`;
const WHEEL_SHA256 = '87be6e61314b2c0fa062f71e26e41d6a17e162ffe4da72c820fe8f1fc94d97fe';
const PY_MINOR = '3.11'; // every hash in requirements.txt is of a cp311 wheel
const CHECK_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python', 'check_toolchain.py');

const force = process.argv.includes('--force');
const quietEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
const t0 = Date.now();
const log = (msg) => console.log(`[setup-python +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

class StepError extends Error {}
function fail(step, msg) {
  throw new StepError(`${step}: ${msg}`);
}
const tail = (s, n = 25) => s.trim().split('\n').slice(-n).join('\n');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, env: quietEnv, ...opts });
  return { ok: r.status === 0 && !r.error, status: r.status, error: r.error, stdout: r.stdout || '', stderr: r.stderr || '' };
}

// Streams the child's output as progress lines, keeping all of it for the error message.
function runStreaming(cmd, args, show) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: quietEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let all = '';
    const onData = (chunk) => {
      all += chunk;
      for (const line of String(chunk).split('\n')) if (show(line)) log(`  ${line.trim()}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => resolve({ ok: false, status: null, output: `${all}\n${error.message}` }));
    child.on('close', (status) => resolve({ ok: status === 0, status, output: all }));
  });
}

function checkPlatform() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail('platform', `only linux-x64 is supported (the pinned wheels are manylinux x86_64; got ${process.platform}-${process.arch})`);
  }
}

function findPython() {
  const candidates = [process.env.TFJS_REPRO_PYTHON, `python${PY_MINOR}`, 'python3', 'python'].filter(Boolean);
  const seen = [];
  for (const py of candidates) {
    const r = run(py, ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])']);
    if (r.ok && r.stdout.trim() === PY_MINOR) return py;
    seen.push(`${py}: ${r.ok ? r.stdout.trim() : r.error ? 'not found' : `no venv/ensurepip module (${tail(r.stderr, 1)})`}`);
  }
  fail(
    'python',
    `no CPython ${PY_MINOR} with the venv and ensurepip modules (${seen.join('; ')}); install python${PY_MINOR} and python${PY_MINOR}-venv, or set TFJS_REPRO_PYTHON to one`,
  );
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

// The tensorflow-cpu wheel in <cache>/wheels, as setup-native leaves it; downloaded there if absent.
function ensureWheel(python) {
  const dir = path.join(cacheRoot(), 'wheels');
  const whl = path.join(dir, WHEEL_NAME);
  if (fs.existsSync(whl) && sha256(whl) === WHEEL_SHA256) {
    log(`tensorflow-cpu wheel cached: ${whl}`);
    return whl;
  }
  fs.rmSync(whl, { force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dir, '.dl-'));
  log(`downloading the tensorflow-cpu==${TF_VERSION} wheel (~187 MB) into ${dir}`);
  const r = run(python, [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--python-version',
    PY_MINOR,
    '--implementation',
    'cp',
    '--abi',
    'cp311',
    '--platform',
    'manylinux2014_x86_64',
    `tensorflow-cpu==${TF_VERSION}`,
    '-d',
    tmp,
  ]);
  const got = path.join(tmp, WHEEL_NAME);
  const sum = fs.existsSync(got) ? sha256(got) : '';
  if (r.ok && sum === WHEEL_SHA256) fs.renameSync(got, whl);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!r.ok) fail('wheel', `pip download tensorflow-cpu==${TF_VERSION} failed (exit ${r.status})\n${tail(r.stderr || r.stdout)}`);
  if (sum !== WHEEL_SHA256) fail('wheel', `sha256 of ${WHEEL_NAME} is ${sum || 'missing'}, expected ${WHEEL_SHA256}`);
  return whl;
}

function createVenv(python, venv) {
  fs.rmSync(venv, { recursive: true, force: true }); // a venv cannot be moved, so it is rebuilt in place
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  log(`creating the venv ${venv} with ${python}`);
  const r = run(python, ['-m', 'venv', venv]);
  if (!r.ok)
    fail(
      'venv',
      `${python} -m venv ${venv} failed (exit ${r.status}); on Debian install python${PY_MINOR}-venv\n${tail(r.stderr || r.stdout)}`,
    );
}

// The requirements with tensorflow-cpu pointed at the cached wheel file (same hash): pip given the
// cache as --find-links still downloads the index's copy, so the file is named outright.
function localRequirements(wheel) {
  const text = fs.readFileSync(REQUIREMENTS_FILE, 'utf8');
  const pinned = `tensorflow-cpu==${TF_VERSION} `;
  if (!text.includes(`\n${pinned}`))
    fail('requirements', `${REQUIREMENTS_FILE} must pin ${pinned.trim()} (the wheel setup-native uses); restore that line`);
  const file = path.join(venvDir(), '..', `.requirements-${process.pid}.txt`);
  fs.writeFileSync(file, text.replace(`\n${pinned}`, `\ntensorflow-cpu @ file://${wheel} `));
  return file;
}

async function pipInstall(venvPy, wheel) {
  log(`pip install --no-deps --require-hashes -r ${path.relative(process.cwd(), REQUIREMENTS_FILE)} (cold: ~1 GB unpacked)`);
  const reqFile = localRequirements(wheel);
  const r = await runStreaming(
    venvPy,
    ['-m', 'pip', 'install', '--no-deps', '--require-hashes', '--only-binary=:all:', '--no-input', '--progress-bar', 'off', '-r', reqFile],
    (line) => /^(Processing|Downloading|Successfully installed)|^(ERROR|THESE PACKAGES)/.test(line.trim()),
  );
  fs.rmSync(reqFile, { force: true });
  if (!r.ok) {
    fail(
      'pip install',
      `failed (exit ${r.status}); a hash mismatch means a pin in ${REQUIREMENTS_FILE} is wrong or a download was corrupted\n${tail(
        r.output
          .split('\n')
          .filter((l) => !/^WARNING: Location/.test(l))
          .join('\n'),
      )}`,
    );
  }
}

function checkToolchain(venvPy) {
  log('checking: import tensorflow, tensorflowjs, sklearn, joblib; convert a tiny .h5 with tensorflowjs_converter');
  const r = run(venvPy, [CHECK_SCRIPT]);
  if (!r.ok)
    fail(
      'import check',
      tail(
        r.stderr
          .split('\n')
          .filter((l) => !/^WARNING:root:TensorFlow Decision Forests/.test(l))
          .join('\n'),
      ),
    );
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function main() {
  const venv = venvDir();
  const status = pythonToolchainStatus();
  if (!force && status.usable) {
    log(
      `already complete: ${venv} (${Object.entries(status.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
    log(`python: ${venvPython()}`);
    return;
  }
  if (!force && fs.existsSync(venv)) log(`rebuilding: ${status.reason}`);
  checkPlatform();
  const python = findPython();
  const wheel = ensureWheel(python);
  const reqHash = requirementsHash();
  createVenv(python, venv);
  await pipInstall(venvPython(), wheel);
  const versions = checkToolchain(venvPython());
  fs.writeFileSync(
    path.join(venv, MARKER_NAME),
    `${JSON.stringify({ requirementsSha256: reqHash, versions, built: new Date().toISOString() }, null, 2)}\n`,
  );
  log(
    `OK: ${Object.entries(versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  log(`python: ${venvPython()}`);
}

main().catch((e) => {
  console.error(`[setup-python] FAILED at step ${e instanceof StepError ? e.message : `unexpected error: ${e.stack}`}`);
  process.exitCode = 1;
});
