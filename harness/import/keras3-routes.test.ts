// Keras 3 files and stateful SavedModels, which tensorflowjs 4.22.0 + tfjs 4.22.0 cannot take as they are:
// `import` must refuse each with the route that works. The Keras 3 fixtures are real files, made once
// with a second TensorFlow (scripts/keras/make_keras3_fixtures.sh) and committed. Needs the Python
// toolchain: skipped (with the reason) without it, required under TFJS_REPRO_REQUIRE_PYTHON=1 (CI).
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { BridgeRefusal, runBridge } from './python-bridge.ts';
import { pythonRequired, pythonToolchainStatus, REQUIRE_PYTHON_ENV } from './python-toolchain.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tfjs-repro.js');
const KERAS3 = path.join(ROOT, 'harness', 'import', 'fixtures', 'keras3');
const STATEFUL_SM = path.join(ROOT, 'models', 'keras-stateful-lstm', 'saved_model');
const fixture = JSON.parse(await readFile(path.join(KERAS3, 'keras3-fixtures.json'), 'utf8')) as { versions: { keras: string } };

async function refusal(from: string, out: string): Promise<BridgeRefusal> {
  try {
    await runBridge('convert.py', ['--from', from, '--out', out]);
  } catch (err) {
    if (err instanceof BridgeRefusal) return err;
    throw err;
  }
  return expect.fail(`convert.py converted ${from}; it must refuse it with the route that works`);
}

describe('Keras 3 and stateful SavedModel routes (convert.py, import)', function () {
  this.timeout(300_000);
  let scratch = '';

  before(async function () {
    const s = pythonToolchainStatus();
    if (!s.usable) {
      if (pythonRequired()) throw new Error(`${REQUIRE_PYTHON_ENV}=1 but the Python toolchain is not usable: ${s.reason}`);
      this.test!.parent!.title += ` (skipped: no Python toolchain, npm run setup:python: ${s.reason})`;
      this.skip();
    }
    scratch = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-keras3-'));
  });
  after(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined));

  it('the fixtures were written by Keras 3 (keras3-fixtures.json records the versions)', () => {
    expect(fixture.versions.keras).to.match(/^3\./);
  });

  for (const file of ['model.h5', 'model.keras']) {
    it(`refuses the Keras 3 ${file}, naming model.export() and tf_keras as the routes, and writes nothing`, async () => {
      const out = path.join(scratch, `out-${file}`);
      const err = await refusal(path.join(KERAS3, file), out);
      expect(err.code).to.equal('keras3');
      expect(err.message).to.include(`written by Keras ${fixture.versions.keras}`);
      expect(err.message).to.include('An InputLayer should be passed either a batchInputShape or an inputShape');
      expect(err.route).to.include("model.export('saved_model_dir')").and.include('TF_USE_LEGACY_KERAS=1');
      await access(out).then(
        () => expect.fail(`${out} was written by a refused conversion`),
        () => undefined,
      );
    });
  }

  // Each conversion starts TensorFlow (5–40 s on a loaded machine): they run in CI (TFJS_REPRO_REQUIRE_PYTHON=1)
  // and the nightly tier; the refusals, which never load TensorFlow, always run.
  const runConversions = pythonRequired() || process.env.TFJS_REPRO_TIER === 'nightly';
  const conversion = (title: string, fn: () => Promise<void>) =>
    runConversions
      ? it(title, fn)
      : it.skip(`${title} (skipped: starts TensorFlow; runs with TFJS_REPRO_REQUIRE_PYTHON=1, as in CI, and in the nightly tier)`, fn);

  conversion("converts Keras 3's model.export() SavedModel to a graph model (the route it names)", async () => {
    const out = path.join(scratch, 'exported');
    const r = await runBridge<{ kind: string; format: string; stateful: boolean }>('convert.py', [
      '--from',
      path.join(KERAS3, 'saved_model'),
      '--out',
      out,
    ]);
    expect(r).to.include({ kind: 'saved-model', format: 'graph-model', stateful: false });
    expect(await readdir(out)).to.include('model.json');
  });

  conversion('converts the same model saved through tf_keras (the TF_USE_LEGACY_KERAS=1 route) to a layers model', async () => {
    const r = await runBridge<{ kind: string; format: string; kerasVersion: string }>('convert.py', [
      '--from',
      path.join(KERAS3, 'model-tf-keras.h5'),
      '--out',
      path.join(scratch, 'tf-keras'),
    ]);
    expect(r).to.include({ kind: 'keras-h5', format: 'layers-model' });
    expect(r.kerasVersion).to.match(/^2\./);
  });

  it('refuses a stateful SavedModel, saying its saved state cannot be reset on tf.node.loadSavedModel', async () => {
    const err = await refusal(STATEFUL_SM, path.join(scratch, 'stateful'));
    expect(err.code).to.equal('stateful-savedmodel');
    expect(err.message).to.include('Identity is not in graph');
    expect(err.route).to.include('tf.node.loadSavedModel').and.include('saved state cannot be reset');
    expect(err.route).to.include("model.save('model.h5')");
  });

  it('tfjs-repro import of the Keras 3 .keras file exits 1 with the working route, leaving no scenario', async () => {
    const project = path.join(scratch, 'project');
    await mkdir(project);
    for (const link of ['harness', 'bin', 'node_modules', 'package.json', 'tsconfig.json'])
      await symlink(path.join(ROOT, link), path.join(project, link));
    const env = { ...process.env };
    delete env.CI;
    const r = await run(process.execPath, [BIN, 'import', 'k3-model', '--from', path.join(KERAS3, 'model.keras')], {
      cwd: project,
      env,
    }).then(
      (ok) => ({ code: 0, out: ok.stdout + ok.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(r.code, r.out).to.equal(1);
    expect(r.out).to.match(/model\.keras: written by Keras 3\.\d+\.\d+/);
    expect(r.out).to.include("what works instead: re-save it from Keras 3 with model.export('saved_model_dir')");
    await access(path.join(project, 'scenarios', 'k3-model.scenario.ts')).then(
      () => expect.fail('a refused import wrote its scenario'),
      () => undefined,
    );
  });
});
