// Another tfjs version as an environment cause: the cheap hypotheses are computed in a child process per
// version installed in the runtime cache (`matrix` installs them), since one process holds one tfjs.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ScenarioContext } from '../checks/scenario-context.ts';
import { decodeTensor, type TensorJson } from '../golden/tensor-codec.ts';
import { cacheRoot, type InstalledRuntime } from '../matrix/install-runtime.ts';
import type { Hypothesis, Unavailable } from './hypothesis.ts';

const CHILD = path.join(import.meta.dirname, 'version-child.ts');
const TSX = import.meta.resolve('tsx');
const CHILD_TIMEOUT_MS = 180_000;

/** Other tfjs versions installed in the cache, or the reason there are none. */
export async function installedVersions(
  current: string,
): Promise<{ runtimes: Pick<InstalledRuntime, 'version' | 'root'>[]; reason?: string }> {
  const dir = path.join(cacheRoot(), 'runtimes');
  const names = await readdir(dir).catch(() => [] as string[]);
  const runtimes: Pick<InstalledRuntime, 'version' | 'root'>[] = [];
  for (const n of names) {
    const info = await readFile(path.join(dir, n, 'tfjs-repro-runtime.json'), 'utf8').then(
      (t) => JSON.parse(t) as InstalledRuntime,
      () => undefined,
    );
    if (info && info.version !== current) runtimes.push({ version: info.version, root: path.join(dir, n) });
  }
  return runtimes.length
    ? { runtimes }
    : {
        runtimes,
        reason: `no other tfjs version is installed in ${dir}; install some with \`npx tfjs-repro matrix --tfjs 4.10.0,3.21.0\``,
      };
}

function child(root: string, ctx: ScenarioContext): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', TSX, CHILD, root, ctx.scenario.file, ctx.store.root],
      { timeout: CHILD_TIMEOUT_MS, maxBuffer: 1 << 28 },
      (err, stdout, stderr) => (err ? reject(new Error(stderr.trim().split('\n').at(-1) || err.message)) : resolve(stdout)),
    ),
  );
}

interface ChildTable {
  version: string;
  hypotheses: Array<Omit<Hypothesis, 'outputs'> & { outputs: Record<string, TensorJson> }>;
}

/** The hypotheses of each runtime, as environment causes (alone) and pairs (with a model-side cause). */
export async function versionHypotheses(
  ctx: ScenarioContext,
  runtimes: Pick<InstalledRuntime, 'version' | 'root'>[],
): Promise<{ hypotheses: Hypothesis[]; unavailable: Unavailable[] }> {
  const hypotheses: Hypothesis[] = [];
  const unavailable: Unavailable[] = [];
  const golden = (await ctx.expected('cpu')).file.tfjs;
  for (const r of runtimes) {
    let table: ChildTable;
    try {
      table = JSON.parse(await child(r.root, ctx)) as ChildTable;
    } catch (err) {
      unavailable.push({ label: `tfjs ${r.version}`, reason: (err as Error).message });
      continue;
    }
    const env = `version:${table.version}`;
    const label = `predicted with tfjs ${table.version} (the golden was recorded with ${golden})`;
    const fix = `pin @tensorflow/tfjs to ${golden}, as the golden, or re-record the golden with ${table.version} after review (README "Cross-version runs")`;
    for (const h of table.hypotheses) {
      const outputs = Object.fromEntries(Object.entries(h.outputs).map(([k, t]) => [k, decodeTensor(t, `tfjs ${table.version}: ${h.id}`)]));
      const alone = h.id === 'none';
      hypotheses.push({
        ...h,
        outputs,
        id: alone ? env : `${h.id} + ${env}`,
        label: alone ? label : `${h.label}, with ${label}`,
        family: alone ? 'version' : h.family,
        fix: alone ? fix : `${h.fix}; and ${fix}`,
        env,
        pair: !alone,
        level: 'version',
      });
    }
  }
  return { hypotheses, unavailable };
}
