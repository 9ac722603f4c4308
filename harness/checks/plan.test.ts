// Planning with the browser backends: opt-in by default, run when required, parsed like the others.
import { expect } from 'chai';
import { backendNames, type BackendName } from '../runtime/backends.ts';
import type { BackendStatus } from '../runtime/load-runtime.ts';
import { planRun, requiredBackendsFromEnv } from './plan.ts';

const usable = (except: Partial<Record<BackendName, string>> = {}) => ({
  name: 'tfjs@4.22.0',
  backends: Object.fromEntries(
    backendNames.map((b): [BackendName, BackendStatus] => [b, except[b] ? { usable: false, reason: except[b] } : { usable: true }]),
  ) as Record<BackendName, BackendStatus>,
});
const scenarios = [{ name: 's', file: 's.scenario.ts', sourceHash: 'h' }];

describe('planRun with browser backends', () => {
  it('leaves the browser backends out unless selected or required', () => {
    const plain = planRun({ runtime: usable(), scenarios, formats: ['memory'], checks: ['replay'] });
    expect(plain.jobs.map((j) => j.backend)).to.deep.equal(['cpu', 'wasm', 'tensorflow']);
    const required = planRun({ runtime: usable(), scenarios, formats: ['memory'], checks: ['replay'], requireBackends: ['webgl-f16'] });
    expect(required.jobs.map((j) => j.backend)).to.deep.equal(['cpu', 'wasm', 'tensorflow', 'webgl-f16']);
  });

  it('skips an unusable browser backend once with the reason, and fails it when required', () => {
    const runtime = usable({ webgpu: 'navigator.gpu.requestAdapter() found no adapter on this machine' });
    const skipped = planRun({ runtime, scenarios, backends: ['webgl', 'webgpu'], formats: ['memory'], checks: ['replay'] });
    expect(skipped.skipped).to.deep.equal([
      { backend: 'webgpu', reason: 'navigator.gpu.requestAdapter() found no adapter on this machine' },
    ]);
    const failed = planRun({
      runtime,
      scenarios,
      backends: ['webgpu'],
      formats: ['memory'],
      checks: ['replay'],
      requireBackends: ['webgpu'],
    });
    expect(failed.fixed.map((f) => f.reason)).to.deep.equal([
      'backend webgpu is not usable but TFJS_REPRO_REQUIRE_BACKENDS requires it: navigator.gpu.requestAdapter() found no adapter on this machine',
    ]);
  });

  it('parses browser backend names from TFJS_REPRO_REQUIRE_BACKENDS and refuses unknown ones', () => {
    expect(requiredBackendsFromEnv({ TFJS_REPRO_REQUIRE_BACKENDS: 'cpu, webgl-f16,browser-wasm' })).to.deep.equal([
      'cpu',
      'webgl-f16',
      'browser-wasm',
    ]);
    expect(() => requiredBackendsFromEnv({ TFJS_REPRO_REQUIRE_BACKENDS: 'webgl2' })).to.throw(
      /TFJS_REPRO_REQUIRE_BACKENDS: each entry must be one of cpu, wasm, tensorflow, webgl, webgl-f16, .*; got "webgl2"/,
    );
  });
});
