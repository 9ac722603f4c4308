// The golden workflow end to end, as the CLI runs it (in-process, one shared pool): a moved golden float
// fails replay and names the obtained file, review shows the difference, CI=true accept refuses, accept
// makes the next run pass. A scratch copy of the golden: goldens/ is never touched.
import { expect } from 'chai';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureCli, releaseSharedPool, sharedPool } from '../cli/capture-cli.ts';
import type { HostPool } from '../host/host-pool.ts';
import { scratchProject } from '../cli/scratch-project.fixture.ts';

const SCENARIO = 'scaler-regression';

describe('golden workflow: run → obtained → review → accept (end to end)', function () {
  let dir: string;
  let pool: HostPool;
  const at = (...p: string[]) => path.join(dir, ...p);
  const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
    captureCli([...args, '--scenarios', at('scenarios'), '--goldens', at('goldens'), '--results', at('results')], {
      CI: undefined,
      TFJS_REPRO_REQUIRE_BACKENDS: undefined,
      ...env,
    });
  const run = ['run', SCENARIO, '-b', 'cpu', '-f', 'memory', '--check', 'replay'];

  before(async () => {
    pool = sharedPool();
    dir = await scratchProject('workflow', [SCENARIO]);
  });
  after(async () => {
    await releaseSharedPool(pool);
    await rm(dir, { recursive: true, force: true });
  });

  it('fails naming the obtained file, shows it, refuses under CI, accepts it, and the next run passes', async () => {
    const file = at('goldens', SCENARIO, 'outputs', 'cpu.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    const right = json.outputs.output0.data[2] as number;
    json.outputs.output0.data[2] = right + 0.25;
    await writeFile(file, JSON.stringify(json, null, 1));

    const failed = await cli(run);
    expect(failed.code, failed.stdout).to.equal(1);
    const obtained = at('results', 'obtained', SCENARIO, 'outputs', 'cpu.json');
    expect(failed.stdout, failed.stdout).to.contain(`obtained outputs written to ${path.relative(process.cwd(), obtained)}`);
    const written = JSON.parse(await readFile(obtained, 'utf8'));
    expect(written).to.include({ scenario: SCENARIO, backend: 'cpu', format: 'memory', tfjs: json.tfjs, sourceHash: json.sourceHash });
    expect(written.checks).to.deep.equal(['replay']);
    // Progress: one plain line per finished job on stderr (not a terminal here).
    expect(failed.stderr).to.contain('[1/1 checks] scaler-regression on cpu: 1 checks, 1 failed');
    expect(written.outputs.output0.data[2]).to.equal(right);

    const review = await cli(['review', SCENARIO]);
    expect(review.code).to.equal(0);
    expect(review.stdout).to.match(new RegExp(`\\[2,0\\]\\s+${String(right + 0.25).slice(0, 6)}\\d*\\s+${right}\\s+0\\.25`));
    expect(review.stdout).to.contain('1 of 16 values differ');
    expect(review.stdout).to.contain('nothing changed (no terminal)');
    expect(JSON.parse(await readFile(file, 'utf8')).outputs.output0.data[2]).to.equal(right + 0.25);

    const ci = await cli(['accept'], { CI: 'true' });
    expect(ci.code).to.equal(2);
    expect(ci.stderr).to.contain('refusing to write goldens under CI=true');
    expect(JSON.parse(await readFile(file, 'utf8')).outputs.output0.data[2]).to.equal(right + 0.25);

    const accept = await cli(['accept', SCENARIO]);
    expect(accept.code, accept.stdout + accept.stderr).to.equal(0);
    expect(accept.stdout).to.contain(`${SCENARIO} on cpu: accepted`);
    expect(JSON.parse(await readFile(file, 'utf8')).outputs.output0.data[2]).to.equal(right);
    expect(await stat(obtained).catch(() => undefined), 'the accepted obtained file is removed').to.equal(undefined);

    // A file left by an earlier failing run is out of date once replay passes: the passing run removes it.
    await mkdir(path.dirname(obtained), { recursive: true });
    await writeFile(obtained, JSON.stringify(written));
    const passed = await cli(run);
    expect(passed.code, passed.stdout).to.equal(0);
    expect(await stat(obtained).catch(() => undefined), 'a passing replay removes the out-of-date obtained file').to.equal(undefined);
    const nothing = await cli(['review']);
    expect(nothing.stdout).to.contain('nothing to review');
  });
});
