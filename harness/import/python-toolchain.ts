// The Python toolchain (scripts/setup-python.mjs builds it) as the harness sees it: where the venv's
// interpreter is and whether it is usable, read from the venv's marker without starting Python.
import { pythonToolchainStatus, venvPython, type PythonToolchainStatus } from '../../scripts/python/locate.mjs';

export type { PythonToolchainStatus };
export { pythonToolchainStatus, venvPython };

/** Set in CI: the import end-to-end tests must run, so a missing toolchain fails instead of skipping. */
export const REQUIRE_PYTHON_ENV = 'TFJS_REPRO_REQUIRE_PYTHON';

export function pythonRequired(env = process.env): boolean {
  return env[REQUIRE_PYTHON_ENV] === '1';
}

/** The interpreter of a usable toolchain, or an error that says how to get one. */
export function requirePython(what: string): string {
  const s = pythonToolchainStatus();
  if (!s.usable) throw new Error(`${what} needs the Python toolchain: ${s.reason}`);
  return s.python;
}
