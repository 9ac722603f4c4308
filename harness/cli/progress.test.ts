import { expect } from 'chai';
import { Writable } from 'node:stream';
import { jobLine, startProgress } from './progress.ts';

/** A stream that records what is written, posing as a terminal or not. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(s, { isTTY, columns: 100, rows: 30, text: () => chunks.join('') });
  return s;
}

describe('progress of long commands', () => {
  it('writes one plain line per finished job when stderr is not a terminal', () => {
    const stream = fakeStream(false);
    const p = startProgress({ total: 5, unit: 'checks', json: false, stream });
    p.tick(3);
    p.done(
      jobLine('scaler-regression', 'wasm', [
        { status: 'pass', durationMs: 1500 },
        { status: 'fail', durationMs: 600 },
        { status: 'pass', durationMs: 0 },
      ]),
    );
    p.tick(2);
    p.done('other on cpu: 2 checks (0.1 s)');
    p.stop();
    expect(stream.text()).to.equal(
      '[3/5 checks] scaler-regression on wasm: 3 checks, 1 failed (2.1 s)\n[5/5 checks] other on cpu: 2 checks (0.1 s)\n',
    );
  });

  it('draws a bar in a terminal and keeps printed lines above it', async () => {
    const stream = fakeStream(true);
    const p = startProgress({ total: 4, unit: 'scenarios', json: false, stream });
    p.tick();
    p.done('my-model: recorded');
    p.print('✔ my-model: recorded\n', stream);
    await new Promise((r) => setTimeout(r, 150)); // the bar redraws on a timer
    p.stop();
    expect(stream.text()).to.contain('1/4 scenarios');
    expect(stream.text()).to.contain('✔ my-model: recorded\n');
  });

  it('adds nothing with --json', () => {
    const stream = fakeStream(true);
    const p = startProgress({ total: 4, unit: 'checks', json: true, stream });
    p.tick();
    p.done('x');
    p.stop();
    expect(stream.text()).to.equal('');
  });
});
