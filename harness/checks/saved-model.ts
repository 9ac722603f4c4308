// A saved-model scenario's "training": its model and fitted preprocessing are read from modelPath
// (as `tfjs-repro import` wrote them) and loaded like any bundle, so record, roundtrip, faults and
// properties treat it as they treat a trained one.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildManifest,
  fromUtf8,
  MANIFEST_JSON,
  MODEL_JSON,
  PREPROCESSING_JSON,
  utf8,
  WEIGHTS_BIN,
  type BundleFiles,
} from '../bundle/bundle-files.ts';
import { importModelDir } from '../bundle/import-model-dir.ts';
import type { Executor } from '../executor/executor.ts';
import { allSteps, type PreprocessingState } from '../preprocessing/pipeline.ts';
import { restorePipeline } from '../preprocessing/restore-pipeline.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { ModelHandle } from '../executor/executor.ts';
import type { Example } from '../types/example.ts';

export const SAVED_PREPROCESSING = 'preprocessing.json';
export const SAVED_TFJS_DIR = 'tfjs';

/** The fitted preprocessing of a saved model: `<modelPath>/preprocessing.json`, or none when the scenario names no steps. */
export async function savedPreprocessing(s: TrainedScenario & { modelPath?: string }): Promise<PreprocessingState> {
  const spec = s.preprocessing;
  const named = spec && (Array.isArray(spec) ? spec : Object.values(spec).flat());
  const file = path.join(s.modelPath!, SAVED_PREPROCESSING);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    if (named?.length)
      throw new Error(
        `${s.name}: preprocessing names steps but ${file} is missing; re-run tfjs-repro import ${s.name} --preprocessing <file>`,
      );
    return { steps: [] };
  }
  const state = restorePipeline(JSON.parse(text), file);
  const kinds = allSteps(state).map((st) => st.kind);
  const declared = (named ?? []).map((st) => st.kind);
  if (kinds.join() !== declared.join())
    throw new Error(
      `${s.name}: preprocessing must list the steps of ${file} (${kinds.join(', ') || 'none'}), got ${declared.join(', ') || 'none'}; make the scenario's preprocessing match the imported state`,
    );
  return state;
}

/**
 * The converter's shards joined into one weights.bin (the bundle layout), bytes unchanged: the shards
 * of a group are one buffer cut in pieces, and the groups follow in manifest order.
 */
function singleWeightsFile(files: BundleFiles, scenario: string): BundleFiles {
  const json = JSON.parse(fromUtf8(files.get(MODEL_JSON)!)) as {
    weightsManifest: { paths: string[]; weights: unknown[] }[];
    generatedBy?: string;
  };
  const parts = json.weightsManifest.flatMap((g) => g.paths.map((p) => files.get(p)!));
  const out: BundleFiles = new Map([
    [
      MODEL_JSON,
      utf8(
        JSON.stringify({ ...json, weightsManifest: [{ paths: [WEIGHTS_BIN], weights: json.weightsManifest.flatMap((g) => g.weights) }] }),
      ),
    ],
    [WEIGHTS_BIN, Buffer.concat(parts)],
    [PREPROCESSING_JSON, files.get(PREPROCESSING_JSON)!],
  ]);
  const manifest = buildManifest(out, { scenario, tfjs: (json.generatedBy ?? 'unknown').replace(/^.*v(?=\d)/, ''), backend: 'imported' });
  out.set(MANIFEST_JSON, utf8(JSON.stringify(manifest, null, 2) + '\n'));
  return out;
}

/** Loads a saved scenario's model from disk on the executor: the counterpart of trainScenario. */
export async function loadSavedModel(
  exec: Executor,
  s: TrainedScenario & { modelPath?: string },
  probes: Example[],
): Promise<{ model: ModelHandle; preprocessing: PreprocessingState; probes: Example[]; files: BundleFiles }> {
  const preprocessing = await savedPreprocessing(s);
  const dir = path.join(s.modelPath!, SAVED_TFJS_DIR);
  const files = singleWeightsFile(await importModelDir(dir, s.name, preprocessing), s.name);
  const loaded = await exec.load(files, { format: 'memory', scenario: s, where: dir });
  return { model: loaded.model, preprocessing: loaded.preprocessing, probes, files };
}
