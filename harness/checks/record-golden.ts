// Records goldens: trains on the reference backend twice and refuses if the two runs differ
// (a flaky golden is worse than none), then predicts the bundle twice on every usable backend.
import os from 'node:os';
import { readBundleDir } from '../bundle/bundle-dir.ts';
import { PREPROCESSING_JSON, WEIGHTS_BIN, type BundleFiles } from '../bundle/bundle-files.ts';
import { compareTensors } from '../compare/compare-tensors.ts';
import type { GoldenStore } from '../golden/golden-store.ts';
import type { InputContract, OutputsFile, Provenance } from '../golden/golden-schema.ts';
import { encodeTensor } from '../golden/tensor-codec.ts';
import type { LoadedScenario } from '../scenario/discover-scenarios.ts';
import type { ExecutorSet } from '../executor/in-process-executor.ts';
import { defaultBackendNames, referenceBackend, type BackendName } from '../runtime/backends.ts';
import { isNamed, type Example } from '../types/example.ts';
import type { TensorData } from '../types/tensor-data.ts';
import { ContractViolation, contractOf, enforceContract } from './input-contract.ts';
import { nonFiniteData, nonFiniteOutputs, constantOutputs } from './degenerate.ts';
import { modelInputs, predict, scenarioData, trainScenario, type Predictions } from './model-ops.ts';

export const updateModes = ['missing', 'changed', 'all'] as const;
export type UpdateMode = (typeof updateModes)[number];
export interface RecordOptions {
  runtime: ExecutorSet;
  store: GoldenStore;
  scenario: LoadedScenario;
  update: UpdateMode;
  backends?: BackendName[];
  dropBackends?: boolean;
}
export interface RecordOutcome {
  scenario: string;
  status: 'recorded' | 'unchanged' | 'refused';
  backends: string[];
  skippedBackends: Record<string, string>;
  reason?: string;
  durationMs: number;
}

function samePredictions(a: Predictions, b: Predictions): string | undefined {
  for (const [k, t] of Object.entries(a)) {
    const other = b[k];
    if (!other) return `output ${k} is missing in the second run`;
    const c = compareTensors(t, other, { atol: 0, rtol: 0 });
    if (!c.ok)
      return `output ${k} differs between two runs${c.reason === 'values' ? ` (${c.stats.mismatches} of ${c.stats.total} values, max abs error ${c.stats.maxAbsError})` : ''}`;
  }
  return undefined;
}

function sameBytes(a: BundleFiles, b: BundleFiles, name: string): boolean {
  const x = a.get(name);
  const y = b.get(name);
  return !!x && !!y && Buffer.from(x).equals(Buffer.from(y));
}

async function trainBundle(
  o: RecordOptions,
): Promise<{ files: BundleFiles; predictions: Predictions; probes: Example[]; contract: InputContract; probeInputs: TensorData[] }> {
  const exec = o.runtime.executor(referenceBackend);
  const def = o.scenario.definition;
  const trained = await trainScenario(exec, def);
  try {
    const predictions = await predict(exec, trained.model, trained.preprocessing, trained.probes, def);
    const files = trained.files ?? (await exec.save(trained.model, trained.preprocessing, o.scenario.name));
    // The contract is what the training rows look like after preprocessing, as the model receives them.
    const train = scenarioData(def).train.x;
    const inputs = modelInputs(trained.preprocessing, train, trained.model, def);
    const contract = contractOf(inputs, train.some(isNamed) ? trained.model.inputNames : undefined, trained.preprocessing);
    const probeInputs = modelInputs(trained.preprocessing, trained.probes, trained.model, def);
    return { files, predictions, probes: trained.probes, contract, probeInputs };
  } finally {
    await exec.dispose(trained.model);
  }
}

export async function recordGolden(o: RecordOptions): Promise<RecordOutcome> {
  const start = performance.now();
  const name = o.scenario.name;
  const done = (r: Omit<RecordOutcome, 'scenario' | 'durationMs'>): RecordOutcome => ({
    scenario: name,
    ...r,
    durationMs: Math.round(performance.now() - start),
  });
  const status = await o.store.status(name, o.scenario.sourceHash);
  const missingBackends = status === 'ok' ? await unrecordedBackends(o) : [];
  if (o.update === 'changed' && status === 'ok' && missingBackends.length) {
    // The bundle is current: predict it on the new backends and leave everything else untouched.
    return done(await addBackends(o, missingBackends));
  }
  if ((o.update === 'missing' && status !== 'missing') || (o.update === 'changed' && status === 'ok')) {
    return done({
      status: 'unchanged',
      backends: [],
      skippedBackends: {},
      reason: `golden is ${status}${missingBackends.length ? ` but has no outputs for ${missingBackends.join(', ')}` : ''}; use --update ${o.update === 'missing' ? 'changed' : 'all'} to re-record`,
    });
  }
  const previous = await o.store.recordedBackends(name);
  const lost = previous.filter(
    (b) => !(o.backends ?? defaultBackendNames).includes(b as BackendName) || !o.runtime.backends[b as BackendName]?.usable,
  );
  if (lost.length && !o.dropBackends) {
    return done({
      status: 'refused',
      backends: [],
      skippedBackends: {},
      reason: `re-recording would drop the committed outputs of ${lost.join(', ')} (not selected or not usable here: ${lost.map((b) => o.runtime.backends[b as BackendName]?.reason ?? 'not selected').join('; ')}). Make the backend usable (npx tfjs-repro doctor; npm run setup:native) or pass --drop-backends.`,
    });
  }
  const bad = nonFiniteData(scenarioData(o.scenario.definition));
  if (bad) return done({ status: 'refused', backends: [], skippedBackends: {}, reason: `${o.scenario.file}: ${bad}` });
  const first = await trainBundle(o);
  const second = await trainBundle(o);
  const flaky =
    samePredictions(first.predictions, second.predictions) ??
    (sameBytes(first.files, second.files, WEIGHTS_BIN) ? undefined : `${WEIGHTS_BIN} differs between two training runs`) ??
    (sameBytes(first.files, second.files, PREPROCESSING_JSON) ? undefined : `${PREPROCESSING_JSON} differs between two runs`);
  if (flaky) {
    return done({
      status: 'refused',
      backends: [],
      skippedBackends: {},
      reason: `refusing a flaky golden: ${flaky}. Make training deterministic (seeded data, no unseeded randomness outside tfjs) and record again.`,
    });
  }
  // A golden whose probes break its own contract would fail every replay: refuse it now, saying why.
  try {
    enforceContract(
      {
        contract: first.contract,
        extrapolates: o.scenario.definition.extrapolates,
        file: `${o.scenario.file} (the contract being recorded)`,
      },
      first.probeInputs,
      `${o.scenario.file}: probes`,
    );
  } catch (err) {
    if (!(err instanceof ContractViolation)) throw err;
    return done({ status: 'refused', backends: [], skippedBackends: {}, reason: err.message });
  }
  const predicted = await predictOnBackends(o, first.files, first.probes, o.backends ?? defaultBackendNames);
  if ('refused' in predicted)
    return done({ status: 'refused', backends: [], skippedBackends: predicted.skippedBackends, reason: predicted.refused });
  const { outputs, skippedBackends } = predicted;
  if (!outputs[referenceBackend])
    return done({ status: 'refused', backends: [], skippedBackends, reason: `the reference backend ${referenceBackend} must be recorded` });
  const probes = { ...provenance(o, referenceBackend), inputs: first.probes, contract: first.contract };
  await o.store.write(name, { bundle: first.files, probes, outputs });
  return done({ status: 'recorded', backends: Object.keys(outputs), skippedBackends });
}

function provenance(o: RecordOptions, backend: string): Provenance {
  return {
    scenario: o.scenario.name,
    sourceHash: o.scenario.sourceHash,
    tfjs: o.runtime.version,
    backend,
    node: process.version,
    platform: `${os.platform()}-${os.arch()}`,
    recorded: new Date().toISOString(),
  };
}

type Predicted =
  | { outputs: Record<string, OutputsFile>; skippedBackends: Record<string, string> }
  | { refused: string; skippedBackends: Record<string, string> };

/** Predicts a bundle twice on each usable backend, refusing predictions that differ between the two. */
async function predictOnBackends(o: RecordOptions, files: BundleFiles, probes: Example[], backends: BackendName[]): Promise<Predicted> {
  const outputs: Record<string, OutputsFile> = {};
  const skippedBackends: Record<string, string> = {};
  for (const backend of backends) {
    const usable = o.runtime.backends[backend];
    if (!usable.usable) {
      skippedBackends[backend] = usable.reason ?? 'not usable';
      continue;
    }
    const exec = o.runtime.executor(backend);
    const runs: Predictions[] = [];
    for (let i = 0; i < 2; i++) {
      const loaded = await exec.load(files, {
        format: 'memory',
        scenario: o.scenario.definition,
        where: `${o.scenario.name} (golden bundle)`,
      });
      try {
        runs.push(await predict(exec, loaded.model, loaded.preprocessing, probes, o.scenario.definition));
      } finally {
        await exec.dispose(loaded.model);
      }
    }
    const unstable = samePredictions(runs[0]!, runs[1]!);
    if (unstable) return { refused: `refusing a flaky golden on ${backend}: ${unstable}`, skippedBackends };
    const degenerate =
      nonFiniteOutputs(runs[0]!, backend, o.scenario.definition.allowNonFinite === true) ?? constantOutputs(runs[0]!, probes);
    if (degenerate) return { refused: `${o.scenario.file}: refusing a degenerate golden: ${degenerate}`, skippedBackends };
    const fingerprint = await exec.fingerprint();
    outputs[backend] = {
      ...provenance(o, backend),
      ...(Object.keys(fingerprint).length ? { fingerprint } : {}),
      outputs: Object.fromEntries(Object.entries(runs[0]!).map(([k, t]) => [k, encodeTensor(t)])),
    };
  }
  return { outputs, skippedBackends };
}

async function addBackends(o: RecordOptions, backends: BackendName[]): Promise<Omit<RecordOutcome, 'scenario' | 'durationMs'>> {
  const { files } = await readBundleDir(o.store.bundleDir(o.scenario.name));
  const probes = await o.store.readProbes(o.scenario.name);
  const predicted = await predictOnBackends(o, files, probes.inputs, backends);
  if ('refused' in predicted)
    return { status: 'refused', backends: [], skippedBackends: predicted.skippedBackends, reason: predicted.refused };
  for (const [backend, file] of Object.entries(predicted.outputs)) await o.store.writeOutputs(o.scenario.name, backend, file);
  return {
    status: 'recorded',
    backends: Object.keys(predicted.outputs),
    skippedBackends: predicted.skippedBackends,
    reason: 'outputs added for new backends; bundle unchanged',
  };
}

/** Usable backends that a current golden has no outputs for yet. */
async function unrecordedBackends(o: RecordOptions): Promise<BackendName[]> {
  const recorded = new Set(await o.store.recordedBackends(o.scenario.name));
  return (o.backends ?? defaultBackendNames).filter((b) => o.runtime.backends[b].usable && !recorded.has(b));
}
