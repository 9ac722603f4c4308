import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './main.ts';

describe('tfjs-repro setup', () => {
  it('refuses a target other than native or python, naming the choices', async () => {
    const write = process.stderr.write;
    let err = '';
    process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(['setup', 'gpu'])).to.equal(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err).to.match(/Invalid values:[\s\S]*"gpu"[\s\S]*Choices: "native", "python"/);
  });

  it("runs the package's set-up script in the user's project (the cwd), passing its exit code", () => {
    // A directory that is no project: setup-native stops at its first step, before any download.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-repro-setup-'));
    try {
      const bin = path.resolve(import.meta.dirname, '..', '..', 'bin', 'tfjs-repro.js');
      const r = spawnSync(process.execPath, [bin, 'setup', 'native'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).to.equal(1);
      expect(`${r.stdout}${r.stderr}`).to.contain(path.join(dir, 'package.json'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
