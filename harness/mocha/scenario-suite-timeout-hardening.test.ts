// The generated suite survives a scenario that hangs: the hung job fails naming the scenario and the
// step after the time limit, and the other scenario in the same suite still passes.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scratchProject } from '../cli/scratch-project.fixture.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('generated suite with a hanging scenario', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await scratchProject('hang', ['scaler-regression']);
    const source = await readFile(path.join(dir, 'scenarios', 'scaler-regression.scenario.ts'), 'utf8');
    // data() never returns (its own time limit is 1 s, twenty times what a host takes to reach data(); the other scenario
    // keeps the default): an infinite loop blocks the host's event loop, so only a kill stops it. A busy loop on purpose:
    // cli-hardening.test.ts covers the blocking wait.
    await writeFile(
      path.join(dir, 'scenarios', 'hang-data.scenario.ts'),
      source
        .replace("name: 'scaler-regression',", "name: 'hang-data',\n  timeoutMs: 1000,")
        .replace('data({ rng }) {', 'data({ rng }) {\n    while (rng() < 2) { /* never returns */ }'),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('fails the hung job with the scenario and step, and passes the other scenario', async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
          '--no-config',
          '--node-option',
          'import=tsx',
          '--extension',
          'ts',
          '--reporter',
          'spec',
          path.join(root, 'harness', 'mocha', 'scenario-suite.ts'),
        ],
        {
          cwd: root,
          maxBuffer: 1 << 26,
          env: {
            ...process.env,
            TFJS_REPRO_SCENARIOS: path.join(dir, 'scenarios'),
            TFJS_REPRO_GOLDENS: path.join(dir, 'goldens'),
            TFJS_REPRO_BACKENDS: 'cpu',
            TFJS_REPRO_REQUIRE_BACKENDS: '',
            TFJS_REPRO_TIMEOUT: '',
            // One host: the hung job is killed and the other scenario still runs, on a fresh host.
            TFJS_REPRO_JOBS: '1',
          },
        },
        (err, out) => resolve({ code: err ? 1 : 0, stdout: out }),
      );
    });
    expect(code).to.equal(1);
    expect(stdout).to.match(/hang-data on cpu: timed out after 1 s in step "data\(\)" while running check roundtrip/);
    expect(stdout).to.match(/scaler-regression[\s\S]*✔ replay/);
    expect(stdout).to.not.match(/\d+\) scenarios on tfjs@[\d.]+\s+scaler-regression/);
  });
});
