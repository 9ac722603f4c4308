// Runs the CLI in this process and captures what it prints: end-to-end tests pay process start-up
// (tsx, tfjs) once, not once per command. Hosts come from one shared pool while a test file runs.
import { HostPool } from '../host/host-pool.ts';
import { runCli } from './main.ts';
import { setSharedPool } from './shared-options.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Captures stdout and stderr while the CLI runs; env entries are set for the call (undefined unsets). */
export async function captureCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await runCli(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * One pool for every in-process CLI call of a test file; close it in an after() hook. One host by
 * default: a test's runs are small, and a second host costs its start-up (about 1.4 s of CPU) for little.
 */
export function sharedPool(jobs = 1): HostPool {
  const pool = new HostPool({ jobs });
  setSharedPool(pool);
  return pool;
}
export const releaseSharedPool = async (pool: HostPool) => {
  setSharedPool(undefined);
  await pool.close();
};
