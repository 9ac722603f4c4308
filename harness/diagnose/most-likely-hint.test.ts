import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { faultPredictions } from '../checks/faults.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { encodeTensor } from '../golden/tensor-codec.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { loadScenarioFile } from '../scenario/discover-scenarios.ts';
import { withHint } from './most-likely-hint.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const file = path.join(root, 'scenarios', 'scaler-regression.scenario.ts');
const goldens = path.join(root, 'goldens');

describe('the "most likely" hint of a failed check', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-hint-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  const failed = (obtained: string): CheckOutcome => ({
    scenario: 'scaler-regression',
    configuration: { runtime: 'tfjs@4.22.0', backend: 'cpu', format: 'memory' },
    check: 'replay',
    status: 'fail',
    reason: 'predictions differ beyond the replay tolerance',
    obtained,
    durationMs: 1,
  });

  it('names the cause that reproduces what the check obtained, with its fix', async () => {
    const ctx = new ScenarioContext(inProcessExecutors(await loadRuntime()), new GoldenStore(goldens), await loadScenarioFile(file));
    const dropped = await faultPredictions(ctx, 'cpu', 'preprocessing-dropped');
    await ctx.dispose();
    const obtained = path.join(dir, 'cpu.json');
    const outputs = Object.fromEntries(Object.entries(dropped).map(([k, t]) => [k, encodeTensor(t)]));
    await writeFile(obtained, JSON.stringify({ scenario: 'scaler-regression', backend: 'cpu', outputs }));
    const o = await withHint(failed(obtained), { scenarios: [{ name: 'scaler-regression', file }], goldens });
    expect(o.reason).to.match(
      /^predictions differ beyond the replay tolerance; most likely: preprocessing dropped \(raw inputs reached the model\) \(bit-exact\); fix: apply the persisted preprocessing/,
    );
    expect(o.reason).to.include(`npx tfjs-repro diagnose scaler-regression --obtained ${obtained}`);
  });

  it('leaves passing checks, other checks and outcomes without an obtained file alone', async () => {
    const o = failed(path.join(dir, 'cpu.json'));
    const opts = { scenarios: [{ name: 'scaler-regression', file }], goldens };
    for (const x of [
      { ...o, status: 'pass' as const },
      { ...o, check: 'roundtrip' as const },
      { ...o, obtained: undefined },
    ])
      expect(await withHint(x, opts)).to.equal(x);
  });
});
