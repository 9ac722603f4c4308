// The page script: puts the data-only API on window.tfjsRepro for page.evaluate.
import type { TfjsReproPage } from './page-api.ts';
import { fingerprint, setBackend } from './page-backend.ts';
import { dispose, loadModel, numTensors, predict, resetStates, save } from './page-models.ts';
import { customClasses, heldTensors, layerOutputs, loadBundle, perturbLargestWeight } from './page-model-ops.ts';
import { train } from './page-train.ts';

const api: TfjsReproPage = {
  setBackend,
  loadModel,
  predict,
  resetStates,
  dispose,
  numTensors,
  train,
  save,
  fingerprint,
  loadBundle,
  perturbLargestWeight,
  layerOutputs,
  customClasses,
  heldTensors,
};
(globalThis as unknown as { tfjsRepro: TfjsReproPage }).tfjsRepro = api;
