// npm test's tier: browser backends keep replay, agreement and faults (webgpu: replay and agreement);
// the nightly tier and the CLI keep everything; a required browser backend that cannot run still fails.
import { expect } from 'chai';
import { backendNames, browserBackendNames, type BackendName } from '../runtime/backends.ts';
import type { BackendStatus } from '../runtime/load-runtime.ts';
import { applyTestTier, leftToNightly, suiteBackends, testTierFromEnv } from './apply-test-tier.ts';
import { planRun } from './plan.ts';
import { DEFAULT_TIMEOUT_MS, jobTimeout } from '../host/run-jobs.ts';

const runtime = (except: Partial<Record<BackendName, string>> = {}) => ({
  name: 'tfjs@4.22.0',
  backends: Object.fromEntries(
    backendNames.map((b): [BackendName, BackendStatus] => [b, except[b] ? { usable: false, reason: except[b] } : { usable: true }]),
  ) as Record<BackendName, BackendStatus>,
});
const scenarios = [{ name: 's', file: 's.scenario.ts', sourceHash: 'h' }];
const checksOf = (plan: ReturnType<typeof planRun>, backend: BackendName) =>
  plan.jobs
    .filter((j) => j.backend === backend)
    .flatMap((j) => j.checks.map((c) => `${c.check}${c.configuration.format ? ` ${c.configuration.format}` : ''}`));

describe('applyTestTier', () => {
  const full = planRun({ runtime: runtime(), scenarios, backends: ['cpu', 'webgl', 'webgpu'] });
  const test = applyTestTier(full, 'test');

  it('keeps replay, agreement and every fault of a browser backend, in the formats a page has', () => {
    const webgl = checksOf(test, 'webgl');
    expect(webgl.filter((c) => !c.startsWith('fault '))).to.deep.equal([
      'replay memory',
      'agreement memory',
      'replay http',
      'agreement http',
    ]);
    expect(webgl.filter((c) => c.startsWith('fault ')).length).to.be.greaterThan(5);
    expect(webgl.some((c) => /roundtrip|retrain|property/.test(c))).to.equal(false);
  });

  it('leaves the faults of webgpu to the nightly tier, saying why', () => {
    expect(checksOf(test, 'webgpu')).to.deep.equal(['replay memory', 'agreement memory', 'replay http', 'agreement http']);
    const [webgl, webgpu] = leftToNightly(['cpu', 'webgl', 'webgpu']);
    expect(webgl!.reason).to.match(/^roundtrip, retrain and properties run in the nightly tier/);
    expect(webgpu!.reason).to.match(/and the faults run in the nightly tier .*, as webgpu on SwiftShader/);
  });

  it('changes nothing for Node backends, nor in the nightly tier', () => {
    expect(checksOf(test, 'cpu')).to.deep.equal(checksOf(full, 'cpu'));
    expect(applyTestTier(full, 'nightly')).to.equal(full);
  });

  it('still fails the tier checks of a required browser backend that cannot start', () => {
    const missing = '/usr/bin/chromium is not installed';
    const plan = applyTestTier(
      planRun({ runtime: runtime({ webgl: missing }), scenarios, backends: ['webgl'], requireBackends: ['webgl'] }),
      'test',
    );
    expect(plan.jobs).to.deep.equal([]);
    expect(plan.fixed.map((f) => f.check)).to.include.members(['replay', 'agreement', 'fault preprocessing-dropped']);
    expect(plan.fixed.every((f) => f.status === 'fail' && f.reason!.includes(missing))).to.equal(true);
    expect(plan.fixed.some((f) => f.check === 'retrain')).to.equal(false);
  });

  it('plans every browser backend by default, and reads the tier from TFJS_REPRO_TIER', () => {
    expect(suiteBackends()).to.include.members([...browserBackendNames, 'cpu']);
    expect(testTierFromEnv({})).to.equal('test');
    expect(testTierFromEnv({ TFJS_REPRO_TIER: 'nightly' })).to.equal('nightly');
    expect(() => testTierFromEnv({ TFJS_REPRO_TIER: 'weekly' })).to.throw(/TFJS_REPRO_TIER must be one of test, nightly .*got "weekly"/);
  });

  it('gives webgpu jobs ten times the default or declared limit, never more than --timeout', () => {
    const job = (backend: BackendName, timeoutMs?: number) => ({
      scenario: 's',
      file: 'f',
      backend,
      checks: [],
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    expect(jobTimeout(job('webgpu'))).to.equal(10 * DEFAULT_TIMEOUT_MS);
    expect(jobTimeout(job('webgpu', 30_000))).to.equal(300_000);
    expect(jobTimeout(job('webgl', 30_000))).to.equal(30_000);
    expect(jobTimeout(job('webgpu'), 60_000)).to.equal(60_000);
  });
});
