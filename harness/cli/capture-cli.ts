// Runs the CLI in this process and captures what it prints: end-to-end tests pay process start-up
// (tsx, tfjs) once, not once per command. Hosts come from one pool shared by the process's test files.
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

let processPool: HostPool | undefined;
/**
 * One pool of one host for every in-process CLI call of this process: a mocha worker runs many test
 * files, and each host costs about 1.3 s of CPU to start while a test's runs are small. A host killed
 * by a test (time limits) is replaced on the next task. Idle hosts never keep the process alive and
 * die with it (host-pool.ts), so release only stops routing commands to the pool.
 */
export function sharedPool(): HostPool {
  processPool ??= new HostPool({ jobs: 1 });
  setSharedPool(processPool);
  return processPool;
}
export const releaseSharedPool = async (_pool: HostPool): Promise<void> => {
  setSharedPool(undefined);
};
