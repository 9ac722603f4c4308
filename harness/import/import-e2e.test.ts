// End to end, as a new user would: a small Keras .h5 and a joblib StandardScaler made with the venv,
// imported into a fresh project, then run. Needs the Python toolchain: skipped (with the reason) without
// it, and required under TFJS_REPRO_REQUIRE_PYTHON=1 (CI). The pickle refusal needs no Python.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { pythonRequired, pythonToolchainStatus, REQUIRE_PYTHON_ENV } from './python-toolchain.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tfjs-repro.js');
const MAKE = path.join(ROOT, 'harness', 'import', 'fixtures', 'make_user_model.py');

/** The CLI as a user runs it on their machine: CI=true (set when this suite runs in CI) would refuse the import. */
async function cli(cwd: string, args: string[], ci = false): Promise<{ code: number; out: string }> {
  const env = { ...process.env };
  if (ci) env.CI = 'true';
  else delete env.CI;
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd, env, maxBuffer: 64 << 20 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('tfjs-repro import (end to end)', function () {
  this.timeout(600_000);
  let project = '';
  let user = '';

  before(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-import-'));
    user = path.join(project, 'user');
    await mkdir(user);
    // A fresh project that uses the harness: its own scenarios/, goldens/ and models/.
    for (const link of ['harness', 'bin', 'node_modules', 'package.json', 'tsconfig.json'])
      await symlink(path.join(ROOT, link), path.join(project, link));
  });
  after(() => rm(project, { recursive: true, force: true }));

  it('refuses a joblib scaler without --allow-pickle, saying why, and writes nothing', async () => {
    await writeFile(path.join(user, 'scaler.joblib'), 'not read');
    const r = await cli(project, [
      'import',
      'my-model',
      '--from',
      path.join(ROOT, 'models/keras-scaler/model.h5'),
      '--preprocessing',
      path.join(user, 'scaler.joblib'),
    ]);
    expect(r.code).to.equal(1);
    expect(r.out).to.match(/scaler\.joblib is a joblib\/pickle file, and loading one runs code stored in it.*--allow-pickle/);
    await readFile(path.join(project, 'scenarios', 'my-model.scenario.ts')).then(
      () => expect.fail('a refused import wrote its scenario'),
      () => undefined,
    );
  });

  it('refuses under CI=true without --force, before reading anything, and writes nothing', async () => {
    const r = await cli(project, ['import', 'my-model', '--from', path.join(ROOT, 'models/keras-scaler/model.h5')], true);
    expect(r.code).to.equal(2);
    expect(r.out).to.match(/import my-model: refused under CI=true: .*or pass --force/);
    await readFile(path.join(project, 'scenarios', 'my-model.scenario.ts')).then(
      () => expect.fail('a refused import wrote its scenario'),
      () => undefined,
    );
  });

  describe('with the Python toolchain', function () {
    before(function () {
      const s = pythonToolchainStatus();
      if (s.usable) return;
      if (pythonRequired()) throw new Error(`${REQUIRE_PYTHON_ENV}=1 but the Python toolchain is not usable: ${s.reason}`);
      this.test!.parent!.title += ` (skipped: no Python toolchain, npm run setup:python: ${s.reason})`;
      this.skip();
    });
    // The full import (three Python processes that each load TensorFlow, then record and run) takes
    // 1–2 minutes: it runs in CI (TFJS_REPRO_REQUIRE_PYTHON=1) and the nightly tier, not in a local npm test.
    const full = pythonRequired() || process.env.TFJS_REPRO_TIER === 'nightly' ? it : it.skip;

    full("imports a user's .h5 with its joblib scaler, and run passes with reference on cpu, wasm and tensorflow", async () => {
      const s = pythonToolchainStatus();
      await run(s.python, [MAKE, user], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
      const imp = await cli(project, [
        'import',
        'my-model',
        '--from',
        path.join(user, 'model.h5'),
        '--probes',
        path.join(user, 'probes.json'),
        '--preprocessing',
        path.join(user, 'scaler.joblib'),
        '--allow-pickle',
      ]);
      expect(imp.out, imp.out).to.match(/my-model: keras-h5 → tfjs layers-model/);
      expect(imp.out).to.match(/recorded \(cpu, wasm, tensorflow/);
      const res = await cli(project, [
        'run',
        'my-model',
        '-b',
        'cpu,wasm,tensorflow',
        '--jobs',
        '1',
        '--check',
        'reference',
        '--check',
        'replay',
        '--check',
        'fault preprocessing-dropped',
      ]);
      expect(res.code, res.out).to.equal(0);
      expect(res.out.match(/› reference/g)).to.have.length(3);
      expect(res.out).to.match(/fault preprocessing-dropped/);
      expect(res.out).to.match(/\d+ passed, 0 failed/);
    });

    full('imports a SavedModel as a graph model, with its scenario and goldens, and run passes with reference on cpu', async () => {
      const imp = await cli(project, [
        'import',
        'my-graph',
        '--from',
        path.join(ROOT, 'models/tf-graph-dense/saved_model'),
        '--probes',
        path.join(ROOT, 'models/tf-graph-dense/probes.json'),
      ]);
      expect(imp.out, imp.out).to.match(/my-graph: saved-model → tfjs graph-model/);
      expect(imp.out).to.match(/scenario: scenarios\/my-graph\.scenario\.ts/);
      expect(imp.out).to.match(/tf\.node\.loadSavedModel on the tensorflow backend only/);
      expect(imp.out).to.match(/recorded \(cpu/);
      const res = await cli(project, [
        'run',
        'my-graph',
        '-b',
        'cpu',
        '--jobs',
        '1',
        '--check',
        'reference',
        '--check',
        'replay',
        '--check',
        'fault weights-perturbed',
      ]);
      expect(res.code, res.out).to.equal(0);
      expect(res.out).to.match(/✔ my-graph › cpu › reference/);
      expect(res.out).to.match(/✔ my-graph › cpu › fault weights-perturbed/);
      expect(res.out).to.match(/\d+ passed, 0 failed/);
    });

    it('refuses a Keras 3 .keras file naming the route that works', async () => {
      const s = pythonToolchainStatus();
      const file = path.join(user, 'k3.keras');
      // A .keras archive labelled Keras 3 (the pinned toolchain cannot write one): detection reads metadata.json.
      const zip = `import zipfile,json,sys\nwith zipfile.ZipFile(sys.argv[1],'w') as z:\n z.writestr('metadata.json',json.dumps({'keras_version':'3.3.3'}))\n z.writestr('config.json','{}')`;
      await run(s.python, ['-c', zip, file]);
      const r = await cli(project, ['import', 'k3', '--from', file]);
      expect(r.code).to.equal(1);
      expect(r.out).to.match(/Keras 3\.3\.3.*what works instead: .*model\.export\('saved_model_dir'\)/s);
    });
  });
});
