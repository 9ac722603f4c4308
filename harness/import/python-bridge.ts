// Runs one script of the Python bridge (harness/import/python/) with the toolchain's interpreter and
// reads its one JSON line: {"ok": true, ...} or {"ok": false, code, error, route}.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirePython } from './python-toolchain.ts';

const SCRIPTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'python');

/** A refusal of the bridge: its message names the input and the fix; `route` is what works instead. */
export class BridgeRefusal extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly route?: string,
  ) {
    super(route ? `${message}; what works instead: ${route}` : message);
  }
}

export function runBridge<T>(script: 'convert.py' | 'predict.py' | 'sklearn_state.py', args: string[]): Promise<T> {
  const python = requirePython(`tfjs-repro import (${script})`);
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', PYTHONDONTWRITEBYTECODE: '1', TF_USE_LEGACY_KERAS: '0' };
  return new Promise((resolve, reject) => {
    execFile(python, [path.join(SCRIPTS, script), ...args], { env, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let out: { ok?: boolean; error?: string; code?: string; route?: string | null } | undefined;
      try {
        out = JSON.parse(last) as typeof out;
      } catch {
        out = undefined;
      }
      if (out?.ok === true) return resolve(out as T);
      if (out?.ok === false) return reject(new BridgeRefusal(out.error ?? 'failed', out.code ?? 'error', out.route ?? undefined));
      const tail = stderr.trim().split('\n').slice(-8).join('\n');
      reject(new Error(`${script} failed (exit ${err?.code ?? '?'}) without an answer; its stderr ends:\n${tail}`));
    });
  });
}
