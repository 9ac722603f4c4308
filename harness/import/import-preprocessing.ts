// A scikit-learn scaler (joblib/pickle, or JSON with mean_/scale_) becomes the harness's fitted steps,
// checked at import time to transform the probes bit for bit as scikit-learn's own transform does.
import { fromSklearnState } from '../preprocessing/from-sklearn.ts';
import { applyPipeline, type FittedStep, type PreprocessingState } from '../preprocessing/pipeline.ts';
import { runBridge } from './python-bridge.ts';

type SklearnStep = { class: string } & Record<string, unknown>;
interface SklearnAnswer {
  sklearn: { version: string; pickledWith: string | null; steps?: SklearnStep[]; columns?: unknown[] };
  transform: { shape: number[]; data: string };
}

export interface ImportPreprocessingOptions {
  file: string;
  probesFile: string;
  probes: number[][];
  allowPickle: boolean;
}

export async function importPreprocessing(o: ImportPreprocessingOptions): Promise<{ state: PreprocessingState; sklearn: string }> {
  const args = ['--from', o.file, '--probes', o.probesFile, ...(o.allowPickle ? ['--allow-pickle'] : [])];
  const a = await runBridge<SklearnAnswer>('sklearn_state.py', args);
  if (!a.sklearn.steps)
    throw new Error(
      `${o.file}: a ColumnTransformer is not imported yet; save a scaler or a Pipeline of scalers over all columns, or write the preprocessing as steps in the scenario`,
    );
  const steps: FittedStep[] = a.sklearn.steps.map(({ class: cls, ...attrs }) => fromSklearnState(cls, attrs));
  const state: PreprocessingState = { steps };
  const ours = (applyPipeline(state, o.probes) as number[][]).flat();
  const theirs = new Float64Array(new Uint8Array(Buffer.from(a.transform.data, 'base64')).buffer);
  const differ = ours.findIndex((v, i) => !Object.is(v, theirs[i]));
  if (ours.length !== theirs.length || differ >= 0)
    throw new Error(
      `${o.file}: the harness's steps (${steps.map((s) => s.kind).join(', ')}) must transform the probes exactly as scikit-learn ${a.sklearn.version} does; value ${differ} is ${ours[differ]} here and ${theirs[differ]} there. Report this with the file`,
    );
  return { state, sklearn: a.sklearn.version };
}
