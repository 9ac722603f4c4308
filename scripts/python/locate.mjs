// Where the Python toolchain of tfjs-repro lives, and whether it is usable, without running Python.
// Shared by scripts/setup-python.mjs (which builds it) and the TypeScript side (import, doctor).
//   cache root: TFJS_REPRO_CACHE, default ~/.cache/tfjs-repro (as scripts/setup-native.mjs)
//   venv:       <cache root>/python; its interpreter <cache root>/python/bin/python
//   marker:     <venv>/tfjs-repro-complete.json, written last by setup-python: the sha256 of the
//               requirements file it installed and the versions the import check printed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REQUIREMENTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'requirements.txt');
export const MARKER_NAME = 'tfjs-repro-complete.json';

export function cacheRoot(env = process.env) {
  return env.TFJS_REPRO_CACHE || path.join(os.homedir(), '.cache', 'tfjs-repro');
}

export function venvDir(env = process.env) {
  return path.join(cacheRoot(env), 'python');
}

export function venvPython(env = process.env) {
  return path.join(venvDir(env), 'bin', 'python');
}

export function requirementsHash(file = REQUIREMENTS_FILE) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * { usable: true, python, venv, versions } when setup-python completed for the current requirements
 * file; otherwise { usable: false, python, venv, reason } with a reason that says how to fix it.
 */
export function pythonToolchainStatus(env = process.env) {
  const venv = venvDir(env);
  const python = venvPython(env);
  const fix = 'run npm run setup:python';
  if (!fs.existsSync(python)) return { usable: false, python, venv, reason: `no Python venv at ${venv}; ${fix}` };
  let marker;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(venv, MARKER_NAME), 'utf8'));
  } catch {
    return { usable: false, python, venv, reason: `the venv at ${venv} is incomplete (no ${MARKER_NAME}); ${fix}` };
  }
  if (marker.requirementsSha256 !== requirementsHash()) {
    return { usable: false, python, venv, reason: `the venv at ${venv} was built from another scripts/python/requirements.txt; ${fix}` };
  }
  return { usable: true, python, venv, versions: marker.versions };
}
