// The front ends' hint on a failed replay, agreement or reference check: the cheap hypotheses are run
// on what the check obtained, and "most likely: <cause>" is added to its reason when one reproduces it.
// Computed in the front end's own process on the Node backends; a hint that cannot be computed is left out.
import path from 'node:path';
import type { CheckOutcome } from '../checks/outcome.ts';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { inProcessExecutors, type ExecutorSet } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { loadScenarioFile } from '../scenario/discover-scenarios.ts';
import { diagnoseFile } from './diagnose.ts';
import { describeDistance } from '../report/format-diagnosis.ts';

const HINTED = new Set(['replay', 'agreement', 'reference']);

export interface HintOptions {
  /** The scenarios the front end discovered (in a host); the failed one is imported here too. */
  scenarios: Array<{ name: string; file: string }>;
  /** The goldens directory. */
  goldens: string;
}

let executors: Promise<ExecutorSet> | undefined;

/** What it means that the golden bundle itself predicts the obtained values, by the check that failed. */
function goldenHint(check: string, base: string): string {
  const same = `the golden bundle predicts exactly these values on ${base} here, so model, weights and inputs are right`;
  return check === 'reference'
    ? `most likely: a framework difference: ${same}; they differ from the framework's own reference outputs (the conversion, or kernels that sum in another order: README "Reference outputs and how close tfjs gets"); re-import if the model changed`
    : `most likely: the environment: ${same}; the recorded outputs came from another environment or were edited (review the difference, then accept it or re-record here)`;
}

/** The outcome with "most likely: …" added to its reason when a cheap hypothesis reproduces what it obtained. */
export async function withHint(o: CheckOutcome, options: HintOptions): Promise<CheckOutcome> {
  if (o.status !== 'fail' || !o.obtained || !HINTED.has(o.check)) return o;
  const meta = options.scenarios.find((s) => s.name === o.scenario);
  if (!meta) return o;
  try {
    executors ??= loadRuntime().then(inProcessExecutors);
    const scenario = await loadScenarioFile(meta.file);
    const ctx = new ScenarioContext(await executors, new GoldenStore(path.resolve(options.goldens)), scenario);
    try {
      const r = await diagnoseFile(ctx, path.resolve(o.obtained), {
        cheapOnly: true,
        pairs: false,
        search: false,
        quantize: true,
        backends: [],
      });
      const v = r.verdict;
      const hint =
        v.kind === 'reproduced'
          ? `most likely: ${v.best.hypothesis.label} (${describeDistance(v.best)}${v.ties.length ? `, tied with ${v.ties.length} other cause(s)` : ''}); fix: ${v.best.hypothesis.fix}`
          : v.kind === 'golden'
            ? goldenHint(o.check, r.base)
            : undefined;
      const more = `npx tfjs-repro diagnose ${o.scenario} --obtained ${o.obtained}`;
      return hint ? { ...o, reason: `${o.reason ?? 'failed'}; ${hint} (details: ${more})` } : o;
    } finally {
      await ctx.dispose();
    }
  } catch {
    return o; // a hint is a convenience: the failure itself stands as reported
  }
}
