// A failing `reference` check (tfjs against the framework that made the model) leaves what tfjs
// obtained beside the goldens, as replay does, and names the file: diagnose and review read it.
import { expect } from 'chai';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureCli, releaseSharedPool, sharedPool } from '../cli/capture-cli.ts';
import type { HostPool } from '../host/host-pool.ts';
import { scratchProject } from '../cli/scratch-project.fixture.ts';

const SCENARIO = 'keras-scaler';

describe('reference check: obtained outputs', function () {
  this.timeout(120_000);
  let dir: string;
  let pool: HostPool;
  const at = (...p: string[]) => path.join(dir, ...p);
  // In this process, whose working directory is the repository: the scratch project's models/ must be
  // read all the same (a saved model's modelPath belongs to the scenario's project, not the cwd).
  const cli = (args: string[]) =>
    captureCli([...args, '--scenarios', at('scenarios'), '--goldens', at('goldens')], {
      CI: undefined,
      TFJS_REPRO_REQUIRE_BACKENDS: undefined,
    });

  before(async () => {
    pool = sharedPool();
    dir = await scratchProject('reference', [SCENARIO]);
  });
  after(async () => {
    await releaseSharedPool(pool);
    await rm(dir, { recursive: true, force: true });
  });

  it('writes results/obtained/<scenario>/outputs/<backend>.json and names it in the failure', async () => {
    // Keras "predicted" one value 1e-3 higher: far beyond crossFramework (1e-5).
    const file = at('models', SCENARIO, 'reference', 'keras.json');
    const ref = JSON.parse(await readFile(file, 'utf8'));
    ref.outputs.output0.data[3] *= 1 + 1e-3;
    await writeFile(file, JSON.stringify(ref));
    // models/<name>/ is part of the scenario's source hash: the golden is re-recorded (cpu only here).
    const rec = await cli(['record', SCENARIO, '--update', 'changed', '-b', 'cpu', '--drop-backends']);
    expect(rec.code, rec.stdout + rec.stderr).to.equal(0);
    const run = await cli(['run', SCENARIO, '-b', 'cpu', '-f', 'memory', '--check', 'reference', '--jobs', '1']);
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    expect(run.stdout).to.match(
      /reference: fail — predictions differ beyond the crossFramework tolerance; obtained outputs written to \S*results\/obtained\/keras-scaler\/outputs\/cpu\.json/,
    );
    // tfjs predicts what its golden bundle predicts: the hint names the framework, not the environment.
    expect(run.stdout).to.match(/most likely: a framework difference: the golden bundle predicts exactly these values on cpu here/);
    const obtained = JSON.parse(await readFile(at('results', 'obtained', SCENARIO, 'outputs', 'cpu.json'), 'utf8'));
    expect(obtained.checks).to.deep.equal(['reference']);
    expect(Object.keys(obtained.outputs)).to.deep.equal(['output0']);
  });
});
