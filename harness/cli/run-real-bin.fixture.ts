// The real binary as a child process, for the few end-to-end tests whose point is the process itself:
// its exit code, and what it prints on stdout and on stderr. Everything else runs in-process (captureCli).
import { execFile } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'tfjs-repro.js');

export interface RealBinOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/tfjs-repro.js <args>` to its end; env entries are set for the child (undefined unsets). */
export function runRealBin(args: string[], env: Record<string, string | undefined> = {}): Promise<RealBinOutcome> {
  const childEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { env: childEnv, maxBuffer: 64 << 20 }, (_err, stdout, stderr) =>
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
    );
  });
}
