// Records goldens: trains on the reference backend twice and refuses if the two runs differ
// (a flaky golden is worse than none), then predicts the bundle twice on every usable backend.
import os from 'node:os';
import { formats } from '../bundle/formats.ts';
import { createBundle } from '../bundle/save-bundle.ts';
import { PREPROCESSING_JSON, WEIGHTS_BIN, type BundleFiles } from '../bundle/bundle-files.ts';
import { compareTensors } from '../compare/compare-tensors.ts';
import type { GoldenStore } from '../golden/golden-store.ts';
import type { OutputsFile, Provenance } from '../golden/golden-schema.ts';
import { encodeTensor } from '../golden/tensor-codec.ts';
import type { LoadedScenario } from '../scenario/discover-scenarios.ts';
import { activateBackend, type Runtime } from '../runtime/load-runtime.ts';
import { backendNames, referenceBackend, type BackendName } from '../runtime/backends.ts';
import { predict, trainScenario, type Predictions } from './model-ops.ts';

export const updateModes = ['missing', 'changed', 'all'] as const;
export type UpdateMode = (typeof updateModes)[number];
export interface RecordOptions { runtime: Runtime; store: GoldenStore; scenario: LoadedScenario; update: UpdateMode; backends?: BackendName[] }
export interface RecordOutcome { scenario: string; status: 'recorded' | 'unchanged' | 'refused'; backends: string[]; skippedBackends: Record<string, string>; reason?: string; durationMs: number }

function samePredictions(a: Predictions, b: Predictions): string | undefined {
  for (const [k, t] of Object.entries(a)) {
    const other = b[k];
    if (!other) return `output ${k} is missing in the second run`;
    const c = compareTensors(t, other, { atol: 0, rtol: 0 });
    if (!c.ok) return `output ${k} differs between two runs${c.reason === 'values' ? ` (${c.stats.mismatches} of ${c.stats.total} values, max abs error ${c.stats.maxAbsError})` : ''}`;
  }
  return undefined;
}

function sameBytes(a: BundleFiles, b: BundleFiles, name: string): boolean {
  const x = a.get(name);
  const y = b.get(name);
  return !!x && !!y && Buffer.from(x).equals(Buffer.from(y));
}

async function trainBundle(o: RecordOptions): Promise<{ files: BundleFiles; predictions: Predictions; probes: import('../preprocessing/rows.ts').Value[] }> {
  const { tf } = o.runtime;
  await activateBackend(o.runtime, referenceBackend);
  const trained = await trainScenario(tf, o.scenario.definition);
  try {
    const predictions = predict(tf, trained.model, trained.preprocessing, trained.probes, o.scenario.definition);
    const files = await createBundle({ tf, model: trained.model, preprocessing: trained.preprocessing, scenario: o.scenario.name, backend: referenceBackend });
    return { files, predictions, probes: trained.probes };
  } finally {
    trained.model.dispose();
  }
}

export async function recordGolden(o: RecordOptions): Promise<RecordOutcome> {
  const start = performance.now();
  const name = o.scenario.name;
  const done = (r: Omit<RecordOutcome, 'scenario' | 'durationMs'>): RecordOutcome => ({ scenario: name, ...r, durationMs: Math.round(performance.now() - start) });
  const status = await o.store.status(name, o.scenario.sourceHash);
  if ((o.update === 'missing' && status !== 'missing') || (o.update === 'changed' && status === 'ok' && await coversBackends(o))) {
    return done({ status: 'unchanged', backends: [], skippedBackends: {}, reason: `golden is ${status}; use --update ${o.update === 'missing' ? 'changed' : 'all'} to re-record` });
  }
  const first = await trainBundle(o);
  const second = await trainBundle(o);
  const flaky = samePredictions(first.predictions, second.predictions)
    ?? (sameBytes(first.files, second.files, WEIGHTS_BIN) ? undefined : `${WEIGHTS_BIN} differs between two training runs`)
    ?? (sameBytes(first.files, second.files, PREPROCESSING_JSON) ? undefined : `${PREPROCESSING_JSON} differs between two runs`);
  if (flaky) {
    return done({ status: 'refused', backends: [], skippedBackends: {}, reason: `refusing a flaky golden: ${flaky}. Make training deterministic (seeded data, no unseeded randomness outside tfjs) and record again.` });
  }
  const provenance = (backend: string): Provenance => ({
    scenario: name, sourceHash: o.scenario.sourceHash, tfjs: o.runtime.version, backend,
    node: process.version, platform: `${os.platform()}-${os.arch()}`, recorded: new Date().toISOString(),
  });
  const outputs: Record<string, OutputsFile> = {};
  const skippedBackends: Record<string, string> = {};
  for (const backend of o.backends ?? backendNames) {
    const usable = o.runtime.backends[backend];
    if (!usable.usable) { skippedBackends[backend] = usable.reason ?? 'not usable'; continue; }
    await activateBackend(o.runtime, backend);
    const runs: Predictions[] = [];
    for (let i = 0; i < 2; i++) {
      const loaded = await formats.memory.load(first.files, { tf: o.runtime.tf, scenario: o.scenario.definition, where: `${name} (new golden bundle)` });
      try { runs.push(predict(o.runtime.tf, loaded.model, loaded.preprocessing, first.probes, o.scenario.definition)); } finally { loaded.model.dispose(); }
    }
    const unstable = samePredictions(runs[0]!, runs[1]!);
    if (unstable) return done({ status: 'refused', backends: [], skippedBackends, reason: `refusing a flaky golden on ${backend}: ${unstable}` });
    outputs[backend] = { ...provenance(backend), outputs: Object.fromEntries(Object.entries(runs[0]!).map(([k, t]) => [k, encodeTensor(t)])) };
  }
  if (!outputs[referenceBackend]) return done({ status: 'refused', backends: [], skippedBackends, reason: `the reference backend ${referenceBackend} must be recorded` });
  const probes = { ...provenance(referenceBackend), inputs: first.probes };
  await o.store.write(name, { bundle: first.files, probes, outputs });
  return done({ status: 'recorded', backends: Object.keys(outputs), skippedBackends });
}

/** `changed` also records when a backend that is usable now has no outputs yet. */
async function coversBackends(o: RecordOptions): Promise<boolean> {
  const recorded = new Set(await o.store.recordedBackends(o.scenario.name));
  return (o.backends ?? backendNames).every((b) => !o.runtime.backends[b].usable || recorded.has(b));
}
