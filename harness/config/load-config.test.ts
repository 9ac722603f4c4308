import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_FILE, findConfigFile, loadConfig } from './load-config.ts';
import { withToleranceDefaults } from './with-tolerance-defaults.ts';
import { resolveTolerance } from '../compare/tolerance.ts';

describe('loadConfig (tfjs-repro.config.json)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-repro-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (c: unknown) => fs.writeFileSync(path.join(dir, CONFIG_FILE), typeof c === 'string' ? c : JSON.stringify(c));

  it('without a file: scenarios/, goldens/ and results/ under the cwd, no backends or tolerance', () => {
    const sub = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-repro-noconfig-'));
    try {
      const c = loadConfig({ cwd: sub });
      expect(c).to.deep.equal({
        root: sub,
        scenariosDir: path.join(sub, 'scenarios'),
        goldensDir: path.join(sub, 'goldens'),
        resultsDir: path.join(sub, 'results'),
      });
    } finally {
      fs.rmSync(sub, { recursive: true });
    }
  });

  it('is found from a subdirectory, and its directories are relative to the file, not the cwd', () => {
    write({ scenariosDir: 'test/scn', goldensDir: 'test/gold', resultsDir: 'out', backends: ['wasm'] });
    const deep = path.join(dir, 'a', 'b');
    fs.mkdirSync(deep, { recursive: true });
    expect(findConfigFile(deep)).to.equal(path.join(dir, CONFIG_FILE));
    const c = loadConfig({ cwd: deep });
    expect(c.scenariosDir).to.equal(path.join(dir, 'test', 'scn'));
    expect(c.goldensDir).to.equal(path.join(dir, 'test', 'gold'));
    expect(c.resultsDir).to.equal(path.join(dir, 'out'));
    expect(c.backends).to.deep.equal(['wasm']);
  });

  it('names the file and every wrong field', () => {
    write({ scenariosDir: '', backends: ['cpu', 'tpu'], tolerance: { replay: { atol: -1 } }, goldenDir: 'x' });
    let message = '';
    try {
      loadConfig({ cwd: dir });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.match(/^tfjs-repro\.config\.json: invalid config:/);
    expect(message).to.contain('scenariosDir must be a non-empty path');
    expect(message).to.match(/backends\.1 must be one of cpu, wasm/);
    expect(message).to.match(/tolerance\.replay\.atol must be valid: .*>=0/);
    expect(message).to.contain('unknown field(s) "goldenDir"');
  });

  it('refuses a file that is not JSON, naming it', () => {
    write('{ scenariosDir: scenarios }');
    expect(() => loadConfig({ cwd: dir })).to.throw(/^tfjs-repro\.config\.json: must be JSON/);
  });
});

describe('withToleranceDefaults', () => {
  it("puts the project's defaults beneath the scenario's own, field by field", () => {
    const merged = withToleranceDefaults(
      { crossBackend: { atol: 1e-4, rtol: 1e-3 }, backends: { wasm: { retrain: { atol: 1 } } } },
      { crossBackend: { atol: 5e-6 }, backends: { wasm: { retrain: { rtol: 2 } } } },
    );
    expect(resolveTolerance('crossBackend', merged, 'cpu')).to.deep.equal({ atol: 5e-6, rtol: 1e-3 });
    expect(resolveTolerance('retrain', merged, 'wasm')).to.deep.equal({ atol: 1, rtol: 2 });
    expect(resolveTolerance('replay', merged, 'cpu')).to.deep.equal({ atol: 0, rtol: 0 });
  });
  it('leaves a scenario alone when the project has no defaults', () => {
    const own = { replay: { atol: 1e-7 } };
    expect(withToleranceDefaults(undefined, own)).to.equal(own);
    expect(withToleranceDefaults({ version: { atol: 1e-5 } }, undefined)).to.deep.equal({ version: { atol: 1e-5 } });
  });
});
