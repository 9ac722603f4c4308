// The table of every hypothesis's predictions on the probes, built once per scenario: every model-side
// cause on the base environment, each other environment alone, and (with pairs) each cheap model-side
// cause inside each other environment. Ranking against obtained outputs is then a pure comparison.
import type { ScenarioContext } from '../checks/scenario-context.ts';
import type { BackendName } from '../runtime/backends.ts';
import { environments, loadIn, type Environment } from './environments.ts';
import type { CauseEnv, Hypothesis, HypothesisTable, ModelCause, Unavailable } from './hypothesis.ts';
import { modelCauses } from './model-causes.ts';
import { installedVersions, versionHypotheses } from './version-causes.ts';

export interface TableOptions {
  base: BackendName;
  backends: BackendName[];
  quantize: boolean;
  /** Permutations beyond swaps (feature counts ≤ 6). */
  search: boolean;
  /** Pairs of one cheap model-side cause and one environment. */
  pairs: boolean;
  /** Only cheap causes (the hint of a failed run). */
  cheapOnly?: boolean;
  /** Other tfjs versions installed in the runtime cache, one child process each. */
  versions?: boolean;
}

function hypothesis(c: ModelCause, env: Environment, isBase: boolean, outputs: Hypothesis['outputs']): Hypothesis {
  const common = { cause: c.id, env: env.id, outputs, level: env.level, backend: env.backend };
  if (isBase) return { ...common, id: c.id, label: c.label, family: c.family, fix: c.fix, pair: false };
  if (c.id === 'none') return { ...common, id: env.id, label: env.label, family: env.family, fix: env.fix, pair: false };
  return {
    ...common,
    id: `${c.id} + ${env.id}`,
    label: `${c.label}, with ${env.label}`,
    family: c.family,
    fix: `${c.fix}; and ${env.fix}`,
    pair: true,
  };
}

export async function buildTable(ctx: ScenarioContext, o: TableOptions): Promise<HypothesisTable> {
  const probes = (await ctx.probes()).inputs;
  const { envs, unavailable } = environments(ctx, o);
  const hypotheses: Hypothesis[] = [];
  const failed: Array<Unavailable & { family?: string }> = [];
  const all = await modelCauses({ ctx, probes, backend: o.base }, o.search);
  for (const env of envs) {
    const isBase = env === envs[0];
    const causes = all.filter((c) => (isBase ? !o.cheapOnly || c.cheap : c.id === 'none' || (o.pairs && c.cheap)));
    const causeEnv: CauseEnv = { ctx, backend: env.backend, probes, withModel: (fn, lo) => loadIn(ctx, env, fn, lo) };
    try {
      await loadIn(ctx, env, async (shared) => {
        for (const c of causes) {
          try {
            hypotheses.push(hypothesis(c, env, isBase, await c.predict(causeEnv, shared)));
          } catch (err) {
            // A cause that cannot run here (no stateful layer, raw text reaching an embedding) is not a candidate.
            const reason = firstLine(err);
            const seen = failed.some((f) => f.reason === reason && f.family === c.family);
            if ((isBase || c.id === 'none') && !seen) failed.push({ label: isBase ? c.label : env.label, reason, family: c.family });
          }
        }
      });
    } catch (err) {
      failed.push({ label: env.label, reason: firstLine(err), family: env.family });
    }
  }
  if (o.versions) {
    const installed = await installedVersions(ctx.runtime.version);
    if (installed.reason) unavailable.push({ label: 'another tfjs version', reason: installed.reason });
    const v = await versionHypotheses(ctx, installed.runtimes);
    hypotheses.push(...v.hypotheses);
    failed.push(...v.unavailable);
  }
  return {
    scenario: ctx.scenario.name,
    base: o.base,
    hypotheses,
    unavailable: [...unavailable, ...failed.map(({ label, reason }) => ({ label, reason }))],
  };
}

const firstLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0]!;
