// Use from another project, end to end: `npm pack` of this package installed into a scratch project,
// then init, a scenario, record, run and the project's `npm test`. About a minute (the install
// alone is 20-40 s even from npm's cache), so it belongs to the nightly tier (npm run test:nightly).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const nightly = process.env.TFJS_REPRO_TIER === 'nightly';
const packageRoot = path.resolve(import.meta.dirname, '..', '..');
// Hand-written, as a user would (or `npx tfjs-repro new` where it exists); imports the package by name.
const SCENARIO = `import { defineScenario, gaussian, standardScaler } from 'tfjs-repro';

export default defineScenario({
  name: 'tiny-dense',
  description: 'A tiny dense regression kept in a project that installed tfjs-repro.',
  seed: 42,
  data: ({ rng }) => {
    const x = Array.from({ length: 40 }, () => [gaussian(rng), 100 * rng()]);
    return { train: { x, y: x.map(([a, b]) => [a! + b! / 100]) }, probes: x.slice(0, 5) };
  },
  preprocessing: [standardScaler()],
  model: ({ tf, inputShape }) => tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 1 })] }),
  train: { epochs: 2, batchSize: 20, loss: 'meanSquaredError' },
});
`;

interface Step {
  code: number | null;
  out: string;
  seconds: number;
}
function sh(cwd: string, cmd: string, args: string[]): Step {
  const start = performance.now();
  // This test's Node first on PATH, so npm, npx and the hosts run the Node line under test.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
  delete env.TFJS_REPRO_TIER; // the scratch project's own suite, not this one's tier
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, seconds: (performance.now() - start) / 1000 };
}
function ok(step: Step, what: string): Step {
  if (step.code !== 0) throw new Error(`${what} exited ${step.code} after ${step.seconds.toFixed(1)} s:\n${step.out.slice(-4000)}`);
  return step;
}

describe('the packed tarball in another project (nightly tier)', function () {
  if (!nightly) {
    it('installs, inits, records, runs and passes its npm test (skipped: nightly tier only; npm run test:nightly)', function () {
      this.skip();
    });
    return;
  }
  this.timeout(900_000);
  let dir: string;
  let project: string;
  const times: Record<string, number> = {};
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-repro-packed-'));
    project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      `${JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }, null, 2)}\n`,
    );
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(
      `      times (s): ${Object.entries(times)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', ')}`,
    );
  });

  it('installs from the tarball (npm pack, then npm install from the npm cache where it can)', () => {
    const pack = ok(sh(packageRoot, 'npm', ['pack', '--json', '--pack-destination', dir]), 'npm pack');
    const [{ filename, files }] = JSON.parse(pack.out.slice(pack.out.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    const packed = files.map((f) => f.path);
    expect(packed).to.include.members(['bin/tfjs-repro.js', 'bin/mocha-suite.js', 'harness/index.ts', 'scripts/setup-native.mjs']);
    expect(packed.filter((p) => p.endsWith('.test.ts'))).to.deep.equal([]);
    // Optional tfjs-node is left out: its install downloads libtensorflow (`tfjs-repro setup native` builds it).
    const install = ['install', path.join(dir, filename), 'mocha', '--prefer-offline', '--omit=optional', '--no-audit', '--no-fund'];
    times.install = ok(sh(project, 'npm', install), 'npm install').seconds + pack.seconds;
  });

  it('init writes the config, directories and mocha entry, and refuses to run twice', () => {
    times.init = ok(sh(project, 'npx', ['tfjs-repro', 'init']), 'tfjs-repro init').seconds;
    for (const f of ['tfjs-repro.config.json', '.mocharc.json', 'test/tfjs-repro.test.mjs', 'scenarios', 'goldens'])
      expect(fs.existsSync(path.join(project, f)), f).to.equal(true);
    const again = sh(project, 'npx', ['tfjs-repro', 'init']);
    expect(again.code).to.equal(2);
    expect(again.out).to.match(/tfjs-repro\.config\.json, .*already exist; init never overwrites/);
  });

  it('records and runs a scenario of its own, and its npm test passes', () => {
    const help = sh(project, 'npx', ['tfjs-repro', '--help']).out;
    if (/tfjs-repro new\b/.test(help)) {
      times.new = ok(sh(project, 'npx', ['tfjs-repro', 'new', 'tiny-dense', '--template', 'dense']), 'tfjs-repro new').seconds;
    } else fs.writeFileSync(path.join(project, 'scenarios', 'tiny-dense.scenario.ts'), SCENARIO);
    times.record = ok(sh(project, 'npx', ['tfjs-repro', 'record', 'tiny-dense', '--jobs', '1']), 'record').seconds;
    expect(fs.existsSync(path.join(project, 'goldens', 'tiny-dense', 'outputs', 'cpu.json'))).to.equal(true);
    const run = ok(sh(project, 'npx', ['tfjs-repro', 'run', 'tiny-dense', '--jobs', '1']), 'run');
    times.run = run.seconds;
    expect(run.out).to.match(/\b[1-9]\d* passed, 0 failed/);
    const test = ok(sh(project, 'npm', ['test']), 'npm test');
    times.npmTest = test.seconds;
    expect(test.out).to.match(/tiny-dense/);
    expect(test.out).to.match(/\b[1-9]\d* passed, 0 failed/);
  });
});
