// The savedmodel check's verdicts on the stateful LSTM's SavedModel, in a scratch model directory: a
// failure naming the finding and the fix, a pass with the finding as its note once declared known, and
// not applicable off the tensorflow backend. The scenario context is reduced to what the check reads.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { compareTensors, type CompareOutcome } from '../compare/compare-tensors.ts';
import { toleranceLevels } from '../compare/tolerance.ts';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { writeReference, type BridgePrediction } from '../import/reference-from-bridge.ts';
import { loadRuntime, projectRoot } from '../runtime/load-runtime.ts';
import { NotApplicable } from '../types/errors.ts';
import { REQUIRE_ENV, requiredBackendsFromEnv } from './plan.ts';
import { KNOWN_FINDINGS, NATIVE_ONLY, savedModelCheck, type CompareFn } from './savedmodel-check.ts';
import type { ScenarioContext } from './scenario-context.ts';

const runtime = await loadRuntime();
const LSTM = path.join(projectRoot, 'models', 'keras-stateful-lstm');

const compare: CompareFn = (actual, expected) => {
  const comparisons: Record<string, CompareOutcome> = {};
  for (const k of Object.keys(expected)) comparisons[k] = compareTensors(actual[k]!, expected[k]!, toleranceLevels.crossFramework);
  return Object.values(comparisons).every((c) => c.ok)
    ? { status: 'pass', comparisons }
    : { status: 'fail', comparisons, reason: 'differ' };
};

describe('savedmodel check (stateful SavedModel)', function () {
  this.timeout(120_000);
  let dir = '';
  let ctx: ScenarioContext;

  before(async function () {
    if (!runtime.backends.tensorflow.usable) {
      if (requiredBackendsFromEnv().includes('tensorflow')) throw new Error(`${REQUIRE_ENV} requires tensorflow`);
      this.test!.parent!.title += ` (skipped: the tensorflow backend is not usable: ${runtime.backends.tensorflow.reason})`;
      this.skip();
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-savedmodel-'));
    await cp(path.join(LSTM, 'saved_model'), path.join(dir, 'saved_model'), { recursive: true });
    const probes = JSON.parse(await readFile(path.join(LSTM, 'probes.json'), 'utf8')) as number[][][];
    const carry = JSON.parse(await readFile(path.join(LSTM, 'reference-stateful-carry.json'), 'utf8')) as BridgePrediction;
    await writeReference({ scenario: 'lstm', modelPath: dir, probes, prediction: carry });
    const definition = { source: 'saved', name: 'lstm', modelPath: dir, predictBatchSize: 1 };
    const model = { id: 0, inputNames: ['lstm_input'], outputNames: ['output0'], stateful: true };
    const executors = inProcessExecutors(runtime);
    // The SavedModel's predictions are shared by the tests (each load is a new TensorFlow session, ~1 s): the
    // check reads the same probes every time, fresh loads predict the same (native-saved-model.test.ts), and
    // what the tests vary is the declaration the check reads beside the model.
    const tensorflow = executors.executor('tensorflow');
    const predict = tensorflow.predictSavedModel!.bind(tensorflow);
    const predicted = new Map<string, ReturnType<typeof predict>>();
    tensorflow.predictSavedModel = (where, inputs, o) => {
      const key = JSON.stringify([where, o]);
      if (!predicted.has(key)) predicted.set(key, predict(where, inputs, o));
      return predicted.get(key)!;
    };
    ctx = {
      scenario: { name: 'lstm', definition },
      probes: () => Promise.resolve({ inputs: probes }),
      withGolden: (_b: string, fn: (l: unknown) => unknown) => Promise.resolve(fn({ model, preprocessing: { steps: [] } })),
      executor: (b: never) => executors.executor(b),
    } as unknown as ScenarioContext;
  });
  after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('fails with the finding (state advances, a reload reuses the session) and the fix', async () => {
    const r = await savedModelCheck(ctx, 'tensorflow', compare);
    expect(r.status).to.equal('fail');
    expect(r.reason).to.match(/state cannot be reset: .*predicting the probes again moved the outputs by up to \d/);
    expect(r.reason).to.include('reuses the session').and.include('use the .h5 / layers model').and.include(KNOWN_FINDINGS);
    expect(r.comparisons?.output0?.ok, 'the first pass still matches Keras').to.equal(true);
  });

  it('passes with the finding as its note once the model directory declares it known', async () => {
    // The declaration says nothing of the predictions: the reference stays current without re-recording.
    await writeFile(path.join(dir, KNOWN_FINDINGS), JSON.stringify({ savedmodel: 'the scenario guards the .h5' }));
    const r = await savedModelCheck(ctx, 'tensorflow', compare);
    expect(r.status, r.reason).to.equal('pass');
    expect(r.note).to.include('state cannot be reset').and.include('the scenario guards the .h5');
  });

  it('refuses a declaration that does not say why, naming the file', async () => {
    await writeFile(path.join(dir, KNOWN_FINDINGS), JSON.stringify({ savedmodel: 3 }));
    const err = await savedModelCheck(ctx, 'tensorflow', compare).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error)?.message).to.include(`${KNOWN_FINDINGS}: savedmodel must be a string saying why`);
  });

  it('is not applicable off the tensorflow backend, naming tfjs-node', async () => {
    const err = await savedModelCheck(ctx, 'cpu', compare).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(NotApplicable);
    expect((err as Error).message).to.include(NATIVE_ONLY);
  });
});
