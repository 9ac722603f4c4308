// `tfjs-repro import`: a Keras/TensorFlow/tfjs model becomes models/<name>/ (the source as given, the
// converted tfjs model, probes, preprocessing state, reference outputs) and scenarios/<name>.scenario.ts.
// Everything is built in a temporary directory and moved into place only when every step succeeded.
import { cp, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SAVED_PREPROCESSING, SAVED_TFJS_DIR } from '../checks/saved-model.ts';
import type { FittedStep } from '../preprocessing/pipeline.ts';
import { importPreprocessing } from './import-preprocessing.ts';
import { runBridge } from './python-bridge.ts';
import { keyedAsTfjs, probeShapeOf } from './graph-signature.ts';
import { writeReference, type BridgePrediction } from './reference-from-bridge.ts';
import { scenarioSource } from './scenario-source.ts';
import { seededProbes } from './seeded-probes.ts';

export interface ImportOptions {
  name: string;
  from: string;
  probes?: string;
  preprocessing?: string;
  allowPickle: boolean;
  /** A Python file defining the model's custom classes, for Keras to load it. */
  customObjects?: string;
  /** Replace an existing import of the same name. */
  update: boolean;
  root?: string;
}
export interface ImportOutcome {
  name: string;
  kind: string;
  format: string;
  modelPath: string;
  scenarioFile: string;
  reference: string;
  customClasses: string[];
  stateful: boolean;
  /** What the user must know or do next. */
  notes: string[];
}
interface ConvertAnswer {
  kind: string;
  format: 'layers-model' | 'graph-model';
  customClasses: string[];
  stateful: boolean;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function readProbes(file: string): Promise<unknown[]> {
  const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
  if (!Array.isArray(value) || value.length === 0)
    throw new Error(`${file}: probes must be a non-empty JSON array of raw input rows (nested arrays of numbers); fix the file`);
  return value;
}

interface ReferenceRequest {
  conv: ConvertAnswer;
  src: string;
  probesFile: string;
  preprocessing?: string;
  customObjects?: string;
  modelJson: unknown;
  where: string;
}

/** What the framework that made the model predicts on the probes, keyed as tfjs keys its outputs. */
async function referencePrediction(r: ReferenceRequest): Promise<BridgePrediction> {
  const prediction = await runBridge<BridgePrediction>('predict.py', [
    '--model',
    r.src,
    '--probes',
    r.probesFile,
    '--protocol',
    r.conv.stateful ? 'stateful-carry' : 'stateless',
    ...(r.preprocessing ? ['--preprocessing', r.preprocessing] : []),
    ...(r.customObjects ? ['--custom-objects', r.customObjects] : []),
  ]);
  return r.conv.format === 'graph-model' ? keyedAsTfjs(prediction, r.modelJson, r.where) : prediction;
}

export async function importModel(o: ImportOptions): Promise<ImportOutcome> {
  const root = o.root ?? process.cwd();
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(o.name)) throw new Error(`import: <name> must be kebab-case, e.g. "my-model"; got "${o.name}"`);
  const modelPath = path.join('models', o.name);
  const finalDir = path.join(root, modelPath);
  const scenarioFile = path.join('scenarios', `${o.name}.scenario.ts`);
  if (!o.update && ((await exists(finalDir)) || (await exists(path.join(root, scenarioFile)))))
    throw new Error(`import: ${modelPath} or ${scenarioFile} already exists; pass --update to replace them, or choose another name`);
  if (!(await exists(o.from)))
    throw new Error(`import: --from ${o.from} does not exist; pass a Keras .h5/.keras file, a SavedModel directory or a tfjs model.json`);
  if (o.preprocessing && !o.allowPickle && !o.preprocessing.toLowerCase().endsWith('.json'))
    throw new Error(
      `import: --preprocessing ${o.preprocessing} is a joblib/pickle file, and loading one runs code stored in it, so it is refused by default; pass --allow-pickle if you trust the file, or give a JSON file with mean_/scale_`,
    );
  await mkdir(path.join(root, 'models'), { recursive: true });
  const tmp = await mkdtemp(path.join(root, 'models', `.import-${o.name}-`));
  let src = '';
  try {
    const isDir = (await stat(o.from)).isDirectory();
    const source = path.join(tmp, isDir ? 'saved_model' : path.basename(o.from));
    if (o.from.endsWith('.json')) await cp(path.dirname(o.from), path.join(tmp, 'source'), { recursive: true });
    else await cp(o.from, source, { recursive: true });
    src = o.from.endsWith('.json') ? path.join(tmp, 'source', path.basename(o.from)) : source;
    const conv = await runBridge<ConvertAnswer>('convert.py', ['--from', src, '--out', path.join(tmp, SAVED_TFJS_DIR)]);
    const modelJson = JSON.parse(await readFile(path.join(tmp, SAVED_TFJS_DIR, 'model.json'), 'utf8')) as unknown;
    const probes = o.probes ? await readProbes(o.probes) : seededProbes(probeShapeOf(modelJson), 12, 1);
    const probesFile = path.join(tmp, 'probes.json');
    await writeFile(probesFile, `${JSON.stringify(probes, null, 1)}\n`);
    let steps: FittedStep[] = [];
    if (o.preprocessing) {
      const { state } = await importPreprocessing({
        file: o.preprocessing,
        probesFile,
        probes: probes as number[][],
        allowPickle: o.allowPickle,
      });
      steps = state.steps;
      await cp(o.preprocessing, path.join(tmp, path.basename(o.preprocessing)));
      await writeFile(path.join(tmp, SAVED_PREPROCESSING), `${JSON.stringify(state, null, 1)}\n`);
    }
    if (o.customObjects) await cp(o.customObjects, path.join(tmp, 'custom_objects.py'));
    const graph = conv.format === 'graph-model';
    // The reference's hashes are of the files as they will sit in models/<name>. A tfjs model.json came
    // without the framework that made it: nothing can predict its reference.
    const reference = conv.kind.startsWith('tfjs-')
      ? undefined
      : await writeReference({
          scenario: o.name,
          modelPath: tmp,
          probes: probes as never,
          prediction: await referencePrediction({
            conv,
            src,
            probesFile,
            ...(steps.length ? { preprocessing: path.join(tmp, SAVED_PREPROCESSING) } : {}),
            ...(o.customObjects ? { customObjects: o.customObjects } : {}),
            modelJson,
            where: `${modelPath}/${SAVED_TFJS_DIR}/model.json`,
          }),
        });
    const notes: string[] = [];
    if (!reference)
      notes.push(
        `${o.from} is already a tfjs model: no Keras or TensorFlow made it here, so there are no reference outputs and the reference check is not applicable; replay, agreement, roundtrip, quantized, faults and properties guard it`,
      );
    if (conv.kind === 'saved-model')
      notes.push(
        `${modelPath}/saved_model also loads with tf.node.loadSavedModel on the tensorflow backend only (not in the browser, not on cpu/wasm): the route that keeps TensorFlow's own kernels.`,
      );
    if (conv.customClasses.length)
      notes.push(
        `the model uses the Python class(es) ${conv.customClasses.join(', ')}: ${scenarioFile} has a JS class of each name that fails until you implement its call(); then run npx tfjs-repro record ${o.name}`,
      );
    await mkdir(path.join(root, 'scenarios'), { recursive: true });
    await writeFile(
      path.join(root, scenarioFile),
      scenarioSource({ name: o.name, from: o.from, probes, steps, customClasses: conv.customClasses, stateful: conv.stateful, graph }),
    );
    if (o.update) await rm(finalDir, { recursive: true, force: true });
    await rename(tmp, finalDir);
    return {
      name: o.name,
      kind: conv.kind,
      format: conv.format,
      modelPath,
      scenarioFile,
      reference: reference ? path.join(modelPath, path.relative(tmp, reference)) : 'none (a tfjs model has no framework to predict it)',
      customClasses: conv.customClasses,
      stateful: conv.stateful,
      notes,
    };
  } catch (err) {
    // The bridge saw the copy in the temporary directory; the user knows the path they gave.
    if (err instanceof Error && src) err.message = err.message.split(src).join(o.from);
    throw err;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
