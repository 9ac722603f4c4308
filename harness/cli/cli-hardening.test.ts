// The CLI against hangs and bad options: a scenario whose data() or import never returns fails within
// its time limit naming the scenario and the step in run, record and faults, while the others still
// run; malformed options are refused before any work, naming the option.
import { expect } from 'chai';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostPool } from '../host/host-pool.ts';
import { captureCli, releaseSharedPool, sharedPool } from './capture-cli.ts';
import { runRealBin } from './run-real-bin.fixture.ts';
import { scratchProject } from './scratch-project.fixture.ts';

const SCENARIO = 'scaler-regression';

describe('tfjs-repro CLI hardening: time limits and option edges', function () {
  this.timeout(120_000);
  let dir: string;
  let pool: HostPool;
  const cli = (args: string[]) =>
    captureCli([...args, '--scenarios', path.join(dir, 'scenarios'), '--goldens', path.join(dir, 'goldens')], {
      CI: undefined,
      TFJS_REPRO_REQUIRE_BACKENDS: undefined,
    });
  before(async () => {
    // One host: a second would save about 1 s of waiting but cost a host start-up (about 1.3 s of CPU) in
    // the faults test, and npm test runs this file while the scenario suite keeps both cores busy.
    pool = sharedPool();
    dir = await scratchProject('cli-hang', [SCENARIO]);
    const source = await readFile(path.join(dir, 'scenarios', `${SCENARIO}.scenario.ts`), 'utf8');
    // data() never returns; its own limit is 1 s (scenario field), while the other scenario keeps the default.
    // The host reaches data() within about 60 ms of the task (measured), so 1 s leaves room for a loaded machine.
    // It blocks the host's event loop without spinning a core (Atomics.wait): the generated-suite test has the busy `while` loop.
    await writeFile(
      path.join(dir, 'scenarios', 'hang-data.scenario.ts'),
      source
        .replace(`name: '${SCENARIO}',`, "name: 'hang-data',\n  timeoutMs: 1000,")
        .replace(
          'data({ rng }) {',
          'data({ rng }) {\n    if (rng() < 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never returns',
        ),
    );
  });
  after(async () => {
    await releaseSharedPool(pool);
    await rm(dir, { recursive: true, force: true });
  });

  it('run: the hung job fails naming the scenario and step, the other scenario passes', async () => {
    const r = await cli(['run', '-b', 'cpu', '-f', 'memory', '--check', 'replay,property batch-invariance']);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/hang-data on cpu: timed out after 1 s in step "data\(\)" while running check property batch-invariance/);
    expect(r.stdout).to.contain(`✔ ${SCENARIO} › cpu · memory › replay`).and.contain(`✔ ${SCENARIO} › cpu › property batch-invariance`);
  });

  it('record: the hung scenario is refused naming its file and step, the other records', async () => {
    await rm(path.join(dir, 'goldens', 'hang-data'), { recursive: true, force: true });
    const r = await cli(['record', '-b', 'cpu', '--json']);
    expect(r.code).to.equal(1);
    const results = JSON.parse(r.stdout).results as Array<{ scenario: string; status: string; reason?: string }>;
    expect(results.find((x) => x.scenario === 'hang-data')).to.deep.include({ status: 'refused' });
    expect(results.find((x) => x.scenario === 'hang-data')!.reason).to.match(
      /hang-data\.scenario\.ts: recording failed: timed out after 3 s in step "data\(\)"/,
    );
    expect(results.find((x) => x.scenario === SCENARIO)!.status).to.equal('unchanged');
  });

  it('faults: the hung job is an error cell naming the step, and the matrix fails', async () => {
    const r = await cli(['faults', '-b', 'cpu', '--json']);
    expect(r.code).to.equal(1);
    const cells = JSON.parse(r.stdout).faults as Array<{ scenario: string; status: string; detail?: string }>;
    expect(cells.filter((c) => c.scenario === SCENARIO).every((c) => c.status !== 'error' && c.status !== 'UNDETECTED')).to.equal(true);
    expect(cells.find((c) => c.scenario === 'hang-data' && c.status === 'error')?.detail).to.match(
      /golden for "hang-data" is missing|timed out after 1 s in step/,
    );
  });

  it('discovery: a scenario file whose import never returns is broken, naming the file; the others run', async () => {
    const file = path.join(dir, 'scenarios', 'hang-import.scenario.ts');
    await writeFile(
      file,
      "import { defineScenario } from '../harness/index.ts';\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never returns\nexport default defineScenario({} as never);\n",
    );
    try {
      // --timeout also limits discovery again and the good scenario's job, so it keeps a margin for a loaded machine.
      const r = await cli(['run', SCENARIO, 'hang-import', '-b', 'cpu', '-f', 'memory', '--check', 'replay', '--timeout', '3']);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.match(/hang-import\.scenario\.ts: the import timed out after 3 s: a top-level statement never returns/);
      expect(r.stdout).to.contain(`✔ ${SCENARIO} › cpu · memory › replay`);
    } finally {
      await rm(file);
    }
  });

  it('list under CI=true fails when a recorded backend lost its outputs file, naming the file', async () => {
    const outputs = path.join(dir, 'goldens', SCENARIO, 'outputs', 'cpu.json');
    const saved = await readFile(outputs);
    await rm(outputs);
    try {
      const r = await captureCli(
        ['list', SCENARIO, '--json', '--scenarios', path.join(dir, 'scenarios'), '--goldens', path.join(dir, 'goldens')],
        { CI: 'true' },
      );
      const [entry] = JSON.parse(r.stdout) as Array<{ golden: string; goldenFile: string; field: string }>;
      expect(entry).to.include({ golden: 'invalid', field: '(file)' });
      expect(entry!.goldenFile).to.match(/scaler-regression\/outputs\/cpu\.json$/);
      expect(r.code).to.equal(1);
    } finally {
      await writeFile(outputs, saved);
    }
  });

  it('refuses malformed options naming them: --seed, --timeout, --jobs, --out, --check, explain', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', '--seed', '1.5'], /--seed must be a 32-bit integer/],
      [['run', '--seed', 'abc'], /--seed must be a 32-bit integer/],
      [['run', '--timeout', '0'], /--timeout must be a number of seconds from 0.001/],
      [['run', '--jobs', '0'], /--jobs must be an integer from 1/],
      [['run', '--out', dir], /--out .*: is a directory; name a file/],
      [['run', '--check', 'replay,nope'], /--check: "nope" is not a check/],
      [['explain', SCENARIO], /Missing required argument: backend/],
      [['explain', SCENARIO, '--backend', 'cpu'], /--backend and --against must differ/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.match(message);
    }
    // The real binary, once: its exit code is the one the CLI returns, and the refusal goes to stderr only.
    const real = await runRealBin([
      'run',
      '--seed',
      'abc',
      '--scenarios',
      path.join(dir, 'scenarios'),
      '--goldens',
      path.join(dir, 'goldens'),
    ]);
    expect(real.code, real.stderr).to.equal(2);
    expect(real.stderr).to.match(/--seed must be a 32-bit integer/);
    expect(real.stdout).to.equal('');
    const listed = await cli(['run', SCENARIO, '-b', 'cpu', '-f', 'memory', '--check', 'replay,roundtrip']);
    expect(listed.code).to.equal(0);
    expect(listed.stdout)
      .to.contain('› replay')
      .and.contain('› roundtrip')
      .and.match(/2 passed/);
  });
});
