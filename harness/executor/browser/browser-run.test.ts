// The browser backends through the CLI, as a user runs them: replay and agreement of scaler-regression
// on webgl, webgl-f16 (judged under halfPrecision) and webgpu pass, and a browser output moved by a
// relative 1e-3 fails replay with the statistics message; on large-amounts, a dropped scaler is NaN on webgl-f16.
import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureCli } from '../../cli/capture-cli.ts';
import { setSharedPool } from '../../cli/shared-options.ts';
import { HostPool } from '../../host/host-pool.ts';
import { gateBrowserTests } from './browser-test-gate.fixture.ts';
import { scratchProject } from '../../cli/scratch-project.fixture.ts';

const SCENARIO = 'scaler-regression';
/** Raw inputs of 1e5 to 1e6 behind a scaler: past float16's 65504 without it. */
const LARGE = 'large-amounts';
const BACKENDS = ['webgl', 'webgl-f16', 'webgpu'];
const required = new Set((process.env.TFJS_REPRO_REQUIRE_BACKENDS ?? '').split(',').map((b) => b.trim()));

describe('browser backends through the CLI', function () {
  this.timeout(120_000);
  let dir: string;
  let pool: HostPool | undefined;
  const golden = (...p: string[]) => path.join(dir, 'goldens', SCENARIO, ...p);
  const cli = (args: string[]) =>
    captureCli([...args, '--scenarios', path.join(dir, 'scenarios'), '--goldens', path.join(dir, 'goldens')], { CI: undefined });

  before(async function () {
    gateBrowserTests(this, BACKENDS);
    // One host, opening the three browser backends once for both tests.
    pool = new HostPool({ jobs: 1, browserBackends: BACKENDS });
    setSharedPool(pool);
    dir = await scratchProject('browser-run', [SCENARIO, LARGE]);
  });
  after(async () => {
    setSharedPool(undefined);
    await pool?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('run -b webgl,webgl-f16,webgpu --check replay,agreement passes, webgl-f16 under halfPrecision', async () => {
    const run = await cli(['run', SCENARIO, '-b', BACKENDS.join(','), '-f', 'memory', '--check', 'replay,agreement', '--json']);
    const report = JSON.parse(run.stdout) as {
      outcomes: {
        configuration: { backend: string };
        check: string;
        status: string;
        note?: string;
        comparisons: Record<string, { stats: { maxAbsError: number } }>;
      }[];
      skippedBackends: { backend: string; reason: string }[];
    };
    const skipped = report.skippedBackends.filter((s) => required.has(s.backend) || s.backend !== 'webgpu');
    expect(skipped, 'only webgpu may be skipped (no adapter), unless required').to.deep.equal([]);
    const ran = BACKENDS.filter((b) => !report.skippedBackends.some((s) => s.backend === b));
    expect(report.outcomes.map((o) => `${o.configuration.backend} ${o.check} ${o.status}`)).to.deep.equal(
      ran.flatMap((b) => [`${b} replay pass`, `${b} agreement pass`]),
    );
    expect(run.code, run.stdout).to.equal(0);
    // webgl-f16 differs from cpu far beyond crossBackend (else the flag did nothing) and passes under halfPrecision.
    const f16 = report.outcomes.find((o) => o.configuration.backend === 'webgl-f16' && o.check === 'agreement')!;
    expect(f16.comparisons.output0!.stats.maxAbsError).to.be.greaterThan(1e-4);
    expect(f16.note).to.equal('judged under halfPrecision: webgl-f16 stores tensors in float16');
  });

  it('a webgl output moved by a relative 1e-3 fails run -b webgl with the statistics message', async () => {
    const file = golden('outputs', 'webgl.json');
    const saved = await readFile(file, 'utf8');
    try {
      const json = JSON.parse(saved);
      json.outputs.output0.data[3] *= 1 + 1e-3;
      await writeFile(file, JSON.stringify(json, null, 1));
      const run = await cli(['run', SCENARIO, '-b', 'webgl', '-f', 'memory', '--check', 'replay']);
      expect(run.code, run.stdout).to.equal(1);
      expect(run.stdout).to.match(/webgl · memory › replay: fail — predictions differ beyond the (replay|crossBackend) tolerance/);
      expect(run.stdout).to.match(/output0: 1 of 16 values differ beyond atol=\S+ rtol=\S+/);
      expect(run.stdout).to.match(/max abs error [\d.e-]+, mean abs error [\d.e-]+, max rel error [\d.e-]+/);
      expect(run.stdout).to.match(/at \[3,0\]: got /);
    } finally {
      await writeFile(file, saved);
    }
  });

  it('large-amounts: dropping the scaler shows as NaN on webgl-f16 and is detected; its inputs fit float16 with it', async () => {
    const run = await cli(['run', LARGE, '-b', 'webgl-f16', '--check', 'fault preprocessing-dropped,property float16-range', '--json']);
    expect(run.code, run.stdout).to.equal(0);
    const { outcomes } = JSON.parse(run.stdout) as { outcomes: { check: string; status: string; detail?: string }[] };
    expect(outcomes.map((o) => `${o.check} ${o.status}`)).to.deep.equal([
      'fault preprocessing-dropped pass',
      'property float16-range pass',
    ]);
    expect(outcomes[0]!.detail).to.match(/^detected: output0: 16 of 16 values moved .* \(16 NaN\)$/);
  });

  // Last: it kills the file's host. playwright removes Chromium's profile only when the browser closes,
  // which a host killed at its time limit (or by its watchdog) never does.
  it("keeps Chromium's profile in the host's own temporary directory, which the pool removes when it kills the host", async () => {
    await pool!.runtime(); // its host, when this test runs alone
    const [host] = (pool as unknown as { hosts: { child: ChildProcess; stepFile: string }[] }).hosts;
    const tmp = `${host!.stepFile}.tmp`;
    expect(readdirSync(tmp).some((f) => f.startsWith('playwright_chromiumdev_profile-'))).to.equal(true);
    const exited = new Promise((resolve) => host!.child.once('exit', resolve));
    host!.child.kill('SIGKILL');
    await exited;
    // Chromium outlives its host for a moment (host-process.ts retries the removal until it lets go).
    for (let i = 0; i < 50 && existsSync(tmp); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(tmp)).to.equal(false);
  });
});
