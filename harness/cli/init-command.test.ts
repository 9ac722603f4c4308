import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { initProject, SUITE_ENTRY } from './init-command.ts';

describe('tfjs-repro init', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-repro-init-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a config the loader accepts, the directories and a mocha entry for the generated suite', () => {
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
    );
    const outcome = initProject(dir);
    expect(outcome.testScript).to.equal(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts.test).to.equal('mocha');
    const config = loadConfig({ cwd: dir });
    expect(config.scenariosDir).to.equal(path.join(dir, 'scenarios'));
    expect(fs.statSync(config.goldensDir).isDirectory()).to.equal(true);
    const mocharc = JSON.parse(fs.readFileSync(path.join(dir, '.mocharc.json'), 'utf8'));
    expect(mocharc.spec).to.deep.equal([SUITE_ENTRY]);
    expect(fs.readFileSync(path.join(dir, SUITE_ENTRY), 'utf8')).to.contain("import 'tfjs-repro/mocha'");
  });

  it("leaves the user's own test script alone", () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'vitest' } }));
    expect(initProject(dir).testScript).to.equal(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts.test).to.equal('vitest');
  });

  it('refuses to overwrite, naming the file, and writes nothing', () => {
    fs.writeFileSync(path.join(dir, '.mocharc.json'), '{"spec": "mine"}');
    expect(() => initProject(dir)).to.throw(/^\.mocharc\.json: already exists; init never overwrites/);
    expect(fs.readdirSync(dir)).to.deep.equal(['.mocharc.json']);
    expect(fs.readFileSync(path.join(dir, '.mocharc.json'), 'utf8')).to.equal('{"spec": "mine"}');
  });
});
