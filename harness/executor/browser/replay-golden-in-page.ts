// Replays a golden in a browser page the way the replay check does in Node: the bundle is verified in
// Node and served byte for byte, preprocessing runs in Node (doubles), probes cross as float32 bits.
// Used by this directory's test and measurement script until the checks reach the page through the
// executor seam.
import path from 'node:path';
import { readBundleDir } from '../../bundle/bundle-dir.ts';
import { parseJson, PREPROCESSING_JSON } from '../../bundle/bundle-files.ts';
import { inputData } from '../../preprocessing/rows.ts';
import { GoldenStore } from '../../golden/golden-store.ts';
import { decodeTensor } from '../../golden/tensor-codec.ts';
import { applyPipeline, type PreprocessingState } from '../../preprocessing/pipeline.ts';
import type { TrainedScenario } from '../../scenario/define-scenario.ts';
import type { Predictions } from '../../types/tensor-data.ts';
import type { BrowserPage } from './browser-page.ts';

export interface ReplayGoldenOptions {
  goldens: string;
  scenario: string;
  /** The scenario file, bundled for the page when the model has custom objects. */
  scenarioFile?: string;
  definition?: Pick<TrainedScenario, 'predictBatchSize' | 'labels'>;
}
export interface ReplayGoldenOutcome {
  predictions: Predictions;
  predictMs: number;
}

export async function replayGoldenInPage(page: BrowserPage, o: ReplayGoldenOptions): Promise<ReplayGoldenOutcome> {
  const store = new GoldenStore(o.goldens);
  const bundleDir = store.bundleDir(o.scenario);
  const { files } = await readBundleDir(bundleDir);
  const state = parseJson<PreprocessingState>(files, PREPROCESSING_JSON, bundleDir);
  const probes = await store.readProbes(o.scenario);
  const url = page.serveFiles(files);
  const scenarioUrl = o.scenarioFile ? await page.serveScenario(o.scenarioFile) : undefined;
  const info = await page.loadModel(`${url}model.json`, scenarioUrl ? { scenarioUrl } : {});
  try {
    const inputs = inputData(applyPipeline(state, probes.inputs), info.inputNames, `${o.scenario}: probes`);
    const started = performance.now();
    const predictions = await page.predict(info.id, inputs, { batchSize: o.definition?.predictBatchSize, labels: o.definition?.labels });
    return { predictions, predictMs: performance.now() - started };
  } finally {
    await page.dispose(info.id);
    page.unserve(url);
  }
}

/** The golden's recorded outputs of one backend as tensor data. */
export async function goldenOutputs(goldens: string, scenario: string, backend: string): Promise<Predictions> {
  const store = new GoldenStore(goldens);
  const file = await store.readOutputs(scenario, backend);
  if (!file) throw new Error(`${store.outputsFile(scenario, backend)}: missing; record it with npx tfjs-repro record ${scenario}`);
  const where = path.relative(process.cwd(), store.outputsFile(scenario, backend));
  return Object.fromEntries(Object.entries(file.outputs).map(([k, t]) => [k, decodeTensor(t, `${where}: outputs.${k}`)]));
}
