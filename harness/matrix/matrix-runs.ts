// The child processes of a matrix: one `run` or `record` per tfjs version (two tfjs copies in one
// process would share a global engine), and the native set-up of a version's tfjs-node.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckOutcome } from '../checks/outcome.ts';
import type { RecordOutcome } from '../checks/record-golden.ts';
import { projectRoot } from '../runtime/load-runtime.ts';

export interface VersionRunOptions {
  scenarios: string;
  goldens: string;
  scenario?: string[];
  backend?: string;
  /** The installed tfjs to run with; undefined for the project's own. */
  root?: string;
}

const bin = path.join(projectRoot, 'bin', 'tfjs-repro.js');

function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 28 }, (_err, stdout, stderr) => resolve({ stdout, stderr })),
  );
}

const common = (o: VersionRunOptions) => [
  ...(o.scenario ?? []),
  '--json',
  '--scenarios',
  o.scenarios,
  '--goldens',
  o.goldens,
  ...(o.root ? ['--runtime-root', o.root] : []),
];
const lastLines = (s: string) => s.trim().split('\n').slice(-3).join(' ');

/** `run --check … --format memory --json`; formats move bytes, not numbers, so one is enough for a version's drift. */
export async function runChecks(o: VersionRunOptions, checks: string[]): Promise<{ outcomes: CheckOutcome[]; error?: string }> {
  const args = ['run', ...checks.flatMap((c) => ['--check', c]), '--format', 'memory', ...(o.backend ? ['--backend', o.backend] : [])];
  const { stdout, stderr } = await cli([...args, ...common(o)]);
  // `run` exits 1 on failing checks; only output that is not a result file is an error.
  try {
    return { outcomes: (JSON.parse(stdout) as { outcomes: CheckOutcome[] }).outcomes };
  } catch {
    return { outcomes: [], error: lastLines(stderr || stdout) || 'the run printed no result' };
  }
}

/** `record` into a goldens root of the cache (never goldens/), hence --force under CI. */
export async function recordGoldens(o: VersionRunOptions): Promise<{ results: RecordOutcome[]; error?: string }> {
  const { stdout, stderr } = await cli(['record', '--force', ...(o.backend ? ['--backend', o.backend] : []), ...common(o)]);
  try {
    return { results: (JSON.parse(stdout) as { results: RecordOutcome[] }).results };
  } catch {
    return { results: [], error: lastLines(stderr || stdout) || 'record printed no result' };
  }
}

/**
 * Builds the tfjs-node binding of an installed version against the project's libtensorflow
 * (scripts/setup-native.mjs --dir); the outcome is kept in the runtime, so a version is tried once.
 * Returns undefined when it works, else the reason.
 */
export async function ensureNative(root: string, fresh: boolean): Promise<string | undefined> {
  const marker = path.join(root, 'tfjs-repro-native.json');
  const known = fresh
    ? undefined
    : await readFile(marker, 'utf8').then(
        (t) => JSON.parse(t) as { reason?: string },
        () => undefined,
      );
  if (known) return known.reason;
  const script = path.join(projectRoot, 'scripts', 'setup-native.mjs');
  const reason = await new Promise<string | undefined>((resolve) =>
    execFile(process.execPath, [script, '--dir', root], { maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      resolve(
        err
          ? (stderr.split('\n').find((l) => l.includes('FAILED')) ?? lastLines(stderr || stdout)).replace(
              '[setup-native] FAILED at step ',
              'setup:native failed at step ',
            )
          : undefined,
      ),
    ),
  );
  await writeFile(marker, JSON.stringify(reason ? { reason } : {}));
  return reason;
}
