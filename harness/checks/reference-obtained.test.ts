// A failing `reference` check (tfjs against the framework that made the model) leaves what tfjs
// obtained beside the goldens, as replay does, and names the file: diagnose and review read it.
import { expect } from 'chai';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCENARIO = 'keras-scaler';

describe('reference check: obtained outputs', function () {
  this.timeout(120_000);
  let dir: string;
  const at = (...p: string[]) => path.join(dir, ...p);
  // A child process in the scratch project: a saved model's modelPath (models/<name>) is read from the
  // project directory, which is the working directory.
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.CI;
      delete env.TFJS_REPRO_REQUIRE_BACKENDS;
      execFile(process.execPath, [path.join(root, 'bin', 'tfjs-repro.js'), ...args], { cwd: dir, env }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-reference-'));
    await mkdir(at('scenarios'));
    await writeFile(at('package.json'), '{ "type": "module" }\n');
    await symlink(path.join(root, 'harness'), at('harness'));
    await cp(path.join(root, 'scenarios', `${SCENARIO}.scenario.ts`), at('scenarios', `${SCENARIO}.scenario.ts`));
    await cp(path.join(root, 'goldens', SCENARIO), at('goldens', SCENARIO), { recursive: true });
    await cp(path.join(root, 'models', SCENARIO), at('models', SCENARIO), { recursive: true });
  });
  after(() => rm(dir, { recursive: true, force: true }));

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
    const obtained = JSON.parse(await readFile(at('results', 'obtained', SCENARIO, 'outputs', 'cpu.json'), 'utf8'));
    expect(obtained.checks).to.deep.equal(['reference']);
    expect(Object.keys(obtained.outputs)).to.deep.equal(['output0']);
  });
});
