// End-to-end: the CLI as a user meets it, on a scratch copy of a scenario and its golden.
import { expect } from 'chai';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostPool } from '../host/host-pool.ts';
import { captureCli, releaseSharedPool, sharedPool, type CliResult } from './capture-cli.ts';
import { runRealBin } from './run-real-bin.fixture.ts';
import { scratchProject } from './scratch-project.fixture.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCENARIO = 'scaler-regression';

type Result = CliResult;

// Commands run in this process (captureCli) on one shared host pool: a child process per command
// would prove nothing more and cost tsx and tfjs start-up each time.
describe('tfjs-repro CLI (end to end)', function () {
  let dir: string;
  let pool: HostPool;
  before(() => {
    pool = sharedPool();
  });
  after(() => releaseSharedPool(pool));
  const clean = { CI: undefined, TFJS_REPRO_REQUIRE_BACKENDS: undefined };
  const cli = (args: string[], extra: Record<string, string> = {}): Promise<Result> =>
    exec([...args, '--scenarios', path.join(dir, 'scenarios'), '--goldens', path.join(dir, 'goldens')], extra);
  const exec = (args: string[], extra: Record<string, string> = {}): Promise<Result> => captureCli(args, { ...clean, ...extra });
  const golden = (...p: string[]) => path.join(dir, 'goldens', SCENARIO, ...p);
  const fast = ['--backend', 'cpu', '--format', 'memory'];
  // The tests about one golden file need only the check that reads it; the first test runs them all.
  const replay = [...fast, '--check', 'replay'];

  beforeEach(async () => {
    dir = await scratchProject('cli', [SCENARIO]);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('passes on an untouched golden, and list --json says ok', async () => {
    const run = await cli(['run', SCENARIO, ...fast]);
    expect(run.code, run.stdout).to.equal(0);
    expect(run.stdout).to.contain(`${SCENARIO} › cpu · memory › replay`);
    const list = await cli(['list', '--json']);
    const entry = JSON.parse(list.stdout).find((e: { scenario: string }) => e.scenario === SCENARIO);
    expect(entry).to.deep.include({ golden: 'ok' });
    expect(entry.file).to.match(/scenarios\/scaler-regression\.scenario\.ts$/);
    expect(entry.backends).to.include.members(['cpu', 'wasm']);
  });

  it('fails with the mismatch statistics when one golden float moves by a relative 1e-3', async () => {
    const file = golden('outputs', 'cpu.json');
    const original = await readFile(file, 'utf8');
    const json = JSON.parse(original);
    json.outputs.output0.data[3] *= 1 + 1e-3;
    await writeFile(file, JSON.stringify(json));
    const run = await cli(['run', SCENARIO, ...replay]);
    expect(run.code).to.equal(1);
    expect(run.stdout)
      .to.match(/replay: fail/)
      .and.match(/1 of 16 values differ beyond atol=0 rtol=0/)
      .and.match(/max abs error .*mean abs error .*max rel error (9\.99\de-4|1\.00\de-3)/)
      .and.match(/at \[3,0\]: got .* \(0x[0-9a-f]{8}\), expected/);
    await writeFile(file, original);
    expect((await cli(['run', SCENARIO, ...replay])).code).to.equal(0);
  });

  it('reports a changed scenario as stale and fails the run with the command that re-records it', async () => {
    const file = path.join(dir, 'scenarios', `${SCENARIO}.scenario.ts`);
    await writeFile(file, (await readFile(file, 'utf8')).replace('epochs: 20', 'epochs: 21'));
    expect(JSON.parse((await cli(['list', '--json'])).stdout)[0].golden).to.equal('stale');
    const run = await cli(['run', SCENARIO, ...replay]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.contain(`is stale`).and.contain(`npx tfjs-repro record ${SCENARIO} --update changed`);
  });

  it('fails on a missing golden with the record command; record refuses under CI=true without --force', async () => {
    await rm(golden(), { recursive: true });
    const run = await cli(['run', SCENARIO, ...replay]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.contain(`record it with: npx tfjs-repro record ${SCENARIO}`);
    const refused = await cli(['record', SCENARIO], { CI: 'true' });
    expect(refused.code).to.not.equal(0);
    expect(refused.stderr).to.contain('refusing to write goldens under CI=true');
    expect(JSON.parse((await cli(['list', '--json'])).stdout)[0].golden).to.equal('missing');
    const forced = await cli(['record', SCENARIO, '-b', 'cpu', '--force'], { CI: 'true' });
    expect(forced.code, forced.stderr).to.equal(0);
    expect((await cli(['run', SCENARIO, ...replay])).code).to.equal(0);
  });

  it('names the file and field of a broken scenario and still runs the others', async () => {
    await writeFile(
      path.join(dir, 'scenarios', 'broken.scenario.ts'),
      `import { defineScenario } from '../harness/index.ts';\nexport default defineScenario({ name: 'broken', description: 'x', seed: 1 } as never);\n`,
    );
    const run = await cli(['run', ...replay]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/scenarios\/broken\.scenario\.ts: invalid scenario:\n.*- data is required: must be a function/);
    expect(run.stdout).to.contain(`✔ ${SCENARIO} › cpu · memory › replay`);
  });

  it('fails replay on a bundle whose weights changed by one byte, naming the file', async () => {
    const file = golden('bundle', 'weights.bin');
    const bytes = await readFile(file);
    bytes[10] = bytes[10]! ^ 0x01;
    await writeFile(file, bytes);
    const run = await cli(['run', SCENARIO, ...replay]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/replay: fail — .*bundle\/weights\.bin: checksum mismatch/);
  });

  it('faults: all-zero probes leave a fault UNDETECTED, and the matrix fails with the advice', async () => {
    const file = path.join(dir, 'scenarios', `${SCENARIO}.scenario.ts`);
    const source = await readFile(file, 'utf8');
    // All-zero raw readings lie far outside the training range: the scenario must declare it for the input contract.
    const zeros = source.replace(
      'probes: Array.from({ length: 16 }, () => reading(rng))',
      'probes: Array.from({ length: 16 }, () => [0, 0, 0, 0])',
    );
    await writeFile(file, zeros.replace('preprocessing: [standardScaler()],', 'extrapolates: true,\n  preprocessing: [standardScaler()],'));
    await rm(golden(), { recursive: true });
    expect((await cli(['record', SCENARIO, '-b', 'cpu'])).code).to.equal(0);
    const faults = await cli(['faults', SCENARIO, '-b', 'cpu', '--json']);
    expect(faults.code).to.equal(1);
    const cell = JSON.parse(faults.stdout).faults.find((c: { fault: string }) => c.fault === 'features-permuted');
    expect(cell).to.deep.include({ status: 'UNDETECTED' });
    expect(cell.detail).to.match(/add probes whose features differ from each other/);
    const run = await cli(['run', SCENARIO, '-b', 'cpu', '--check', 'fault features-permuted']);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.contain('UNDETECTED');
  });

  it('explain names the layers of a scenario with their statistics', async () => {
    const explain = await cli(['explain', SCENARIO, '--backend', 'wasm', '--against', 'cpu', '--json']);
    expect(explain.code, explain.stderr).to.equal(0);
    const result = JSON.parse(explain.stdout);
    expect(result.layers.map((l: { className: string }) => l.className)).to.deep.equal(['Dense', 'Dense', 'Dense']);
    expect(result.layers[0].comparison.stats).to.include.keys('maxAbsError', 'maxRelError', 'mismatches');
  });

  it('run --shard 1/2 and 2/2 cover every check exactly once, and merge equals the unsharded run', async () => {
    // Only the cheap checks: sharding splits whole scenario × backend jobs, whatever checks they hold.
    const args = ['run', SCENARIO, '-b', 'cpu,wasm', '-f', 'memory', '--check', 'replay,agreement', '--json'];
    const [one, two, all] = [await cli([...args, '--shard', '1/2']), await cli([...args, '--shard', '2/2']), await cli(args)];
    const ids = (r: Result) =>
      JSON.parse(r.stdout).outcomes.map(
        (o: { check: string; configuration: { backend: string; format?: string } }) =>
          `${o.configuration.backend}/${o.configuration.format ?? ''}/${o.check}`,
      );
    expect([...ids(one), ...ids(two)].sort()).to.deep.equal(ids(all).sort());
    expect(ids(one).filter((id: string) => ids(two).includes(id))).to.deep.equal([]);
    await writeFile(path.join(dir, 'one.json'), one.stdout);
    await writeFile(path.join(dir, 'two.json'), two.stdout);
    await writeFile(path.join(dir, 'all.json'), all.stdout);
    const merged = await exec(['merge', path.join(dir, 'one.json'), path.join(dir, 'two.json')]);
    const normalize = (text: string) =>
      JSON.parse(text)
        .outcomes.map((o: object) => ({ ...o, durationMs: 0 }))
        .sort((a: { check: string; configuration: { backend: string } }, b: typeof a) =>
          `${a.configuration.backend}${a.check}`.localeCompare(`${b.configuration.backend}${b.check}`),
        );
    expect(normalize(merged.stdout)).to.deep.equal(normalize(all.stdout));
    const overlap = await exec(['merge', path.join(dir, 'one.json'), path.join(dir, 'one.json')]);
    expect(overlap.code).to.equal(2);
    expect(overlap.stderr, overlap.stderr).to.match(/one\.json: check ".*" is also in \S*one\.json; shards must not overlap/);
    expect((await exec(['diff', path.join(dir, 'all.json'), path.join(dir, 'all.json')])).stdout).to.equal('no changes\n');
  });

  it('matrix writes matrix.json and matrix.md whose cells agree (project version, no install)', async () => {
    const own = JSON.parse(await readFile(path.join(root, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')).version;
    const out = path.join(dir, 'reports');
    const m = await exec([
      'matrix',
      SCENARIO,
      '--tfjs',
      own,
      '-b',
      'cpu',
      '--fresh',
      '--out',
      out,
      '--scenarios',
      path.join(dir, 'scenarios'),
      '--goldens',
      path.join(dir, 'goldens'),
    ]);
    expect(m.code, m.stderr).to.equal(0);
    const json = JSON.parse(await readFile(path.join(out, 'matrix.json'), 'utf8'));
    expect(json.versions).to.have.length(1);
    expect(json.cells.map((c: { check: string }) => c.check).sort()).to.deep.equal(['replay', 'retrain']);
    const md = await readFile(path.join(out, 'matrix.md'), 'utf8');
    expect(md)
      .to.contain(`| ${SCENARIO} · replay | ✔ 0 |`)
      .and.contain(`${json.cells.filter((c: { status: string }) => c.status === 'pass').length} passed, 0 failed`);
  });

  it('doctor --json lists every backend named as usable or not, with the reason', async () => {
    // The Node backends only: the browser's are doctor-browser.test.ts's, and Chromium costs seconds.
    const doctor = await exec(['doctor', '--json', '-b', 'cpu,wasm,tensorflow']);
    expect(doctor.code, doctor.stderr).to.equal(0);
    const report = JSON.parse(doctor.stdout);
    const byName = Object.fromEntries(report.backends.map((b: { backend: string }) => [b.backend, b]));
    expect(Object.keys(byName).sort()).to.deep.equal(['cpu', 'tensorflow', 'wasm']);
    expect(report.browser.problem).to.match(/not started/);
    expect(byName.cpu.usable).to.equal(true);
    expect(byName.wasm.usable).to.equal(true);
    if (byName.tensorflow.usable) expect(report.libtensorflow.version).to.match(/^\d+\.\d+\.\d+$/);
    else expect(byName.tensorflow.reason).to.match(/to fix:/);
    if ((process.env.TFJS_REPRO_REQUIRE_BACKENDS ?? '').includes('tensorflow'))
      expect(byName.tensorflow.usable, byName.tensorflow.reason).to.equal(true);
  });

  it('prints help for every command, and the real binary prints it on stdout and exits 0', async () => {
    for (const command of ['run', 'record', 'list', 'faults', 'matrix', 'explain', 'merge', 'diff', 'doctor']) {
      const help = await cli([command, '--help']);
      expect(help.code).to.equal(0);
      expect(help.stdout).to.contain(`tfjs-repro ${command}`).and.contain('--json');
    }
    // The one child process of this file besides matrix's own: bin/tfjs-repro.js itself (tsx, exit code, streams).
    const real = await runRealBin(['run', '--help'], clean);
    expect(real.code, real.stderr).to.equal(0);
    expect(real.stdout).to.contain('tfjs-repro run').and.contain('--json');
    expect(real.stderr).to.equal('');
  });
});
