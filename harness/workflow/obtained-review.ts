// What `review` shows and `accept` decides on: each obtained file beside the golden it would replace,
// with the statistics of their difference and the worst differing values.
import path from 'node:path';
import { compareTensors } from '../compare/compare-tensors.ts';
import type { GoldenStore } from '../golden/golden-store.ts';
import type { OutputsFile, ProbesFile } from '../golden/golden-schema.ts';
import { listObtained, readObtained, type ObtainedFile } from '../golden/obtained-outputs.ts';
import { decodeTensor, type TensorJson } from '../golden/tensor-codec.ts';
import { scenarioSourceHash } from '../scenario/source-hash.ts';
import { SCENARIO_SUFFIX } from '../scenario/discover-scenarios.ts';

const WORST = 5;

export interface WorstValue {
  index: number[];
  golden: number;
  obtained: number;
  absError: number;
}
export interface OutputDifference {
  output: string;
  /** Set when the output cannot be compared value by value (missing on one side, another shape or dtype). */
  problem?: string;
  total: number;
  mismatches: number;
  maxAbsError: number;
  meanAbsError: number;
  maxRelError: number;
  worst: WorstValue[];
}
export interface ReviewItem {
  scenario: string;
  backend: string;
  /** The obtained file, relative to the working directory. */
  file: string;
  obtained: ObtainedFile;
  /** The golden's outputs for this backend, if it has them. */
  golden?: OutputsFile;
  probes?: ProbesFile;
  /** The scenario's source hash now; undefined when its file is gone. */
  currentSourceHash?: string;
  /** Set when the obtained or golden file cannot be read; nothing else is then known. */
  error?: string;
  differences: OutputDifference[];
}
export interface ReviewOptions {
  store: GoldenStore;
  results: string;
  scenariosDir: string;
  scenarios?: string[];
  backends?: string[];
}

function unravel(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

/** Exact comparison (review shows every bit that moved) and the values that moved most. */
export function outputDifference(output: string, obtained?: TensorJson, golden?: TensorJson): OutputDifference {
  const empty = { output, total: 0, mismatches: 0, maxAbsError: 0, meanAbsError: 0, maxRelError: 0, worst: [] };
  if (!obtained || !golden) return { ...empty, problem: obtained ? 'only in the obtained outputs' : 'only in the golden' };
  const a = decodeTensor(obtained, `obtained ${output}`);
  const e = decodeTensor(golden, `golden ${output}`);
  const c = compareTensors(a, e, { atol: 0, rtol: 0 });
  if (!c.ok && c.reason !== 'values') return { ...empty, problem: c.message };
  const worst: WorstValue[] = [];
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
    const absError = Number.isNaN(x - y) ? Infinity : Math.abs(x - y);
    worst.push({ index: unravel(i, a.shape), golden: y, obtained: x, absError });
    worst.sort((p, q) => q.absError - p.absError);
    if (worst.length > WORST) worst.pop();
  }
  const { total, mismatches, maxAbsError, meanAbsError, maxRelError } = c.stats;
  return { output, total, mismatches, maxAbsError, meanAbsError, maxRelError, worst };
}

/** One item per obtained file under the results directory, narrowed to scenarios and backends when given. */
export async function reviewObtained(o: ReviewOptions): Promise<ReviewItem[]> {
  const items: ReviewItem[] = [];
  for (const entry of await listObtained(o.results, o.scenarios)) {
    if (o.backends?.length && !o.backends.includes(entry.backend)) continue;
    const file = path.relative(process.cwd(), entry.file);
    const base = { scenario: entry.scenario, backend: entry.backend, file, differences: [] };
    let obtained: ObtainedFile;
    try {
      obtained = (await readObtained(o.results, entry.scenario, entry.backend))!;
    } catch (err) {
      items.push({ ...base, obtained: undefined as never, error: (err as Error).message });
      continue;
    }
    const item: ReviewItem = { ...base, obtained };
    try {
      const scenarioFile = path.join(o.scenariosDir, `${entry.scenario}${SCENARIO_SUFFIX}`);
      item.currentSourceHash = await scenarioSourceHash(scenarioFile).catch(() => undefined);
      if (await o.store.has(entry.scenario)) {
        item.probes = await o.store.readProbes(entry.scenario);
        item.golden = await o.store.readOutputs(entry.scenario, entry.backend);
      }
    } catch (err) {
      item.error = (err as Error).message;
    }
    const goldenOutputs = item.golden?.outputs ?? {};
    const names = [...new Set([...Object.keys(obtained.outputs), ...Object.keys(goldenOutputs)])].sort();
    if (item.golden) item.differences = names.map((n) => outputDifference(n, obtained.outputs[n], goldenOutputs[n]));
    items.push(item);
  }
  return items;
}
