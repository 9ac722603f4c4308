import { expect } from 'chai';
import { nextTask } from './host-affinity.ts';

const set = (...k: string[]) => new Set(k);

describe('host affinity', () => {
  it('takes the longest job of a backend the host has run, even behind longer jobs of other backends', () => {
    expect(nextTask(['tensorflow', 'tensorflow', 'cpu', 'wasm', 'cpu'], set('cpu'), set('tensorflow'))).to.equal(2);
  });

  it('a fresh host takes the longest job of a backend no other host has run', () => {
    expect(nextTask(['tensorflow', 'tensorflow', 'wasm', 'cpu'], set(), set('tensorflow'))).to.equal(2);
  });

  it('a host whose backends are done takes an unclaimed backend before stealing a claimed one', () => {
    expect(nextTask(['tensorflow', 'wasm'], set('cpu'), set('tensorflow'))).to.equal(1);
  });

  it('with nothing of its own or unclaimed, takes the longest job left (the tail stays short)', () => {
    expect(nextTask(['tensorflow', 'wasm'], set('cpu'), set('tensorflow', 'wasm'))).to.equal(0);
  });

  it('keeps the queue order when no task has a backend, or with one backend only', () => {
    expect(nextTask([undefined, undefined], set('cpu'), set())).to.equal(0);
    expect(nextTask(['cpu', 'cpu'], set(), set('cpu'))).to.equal(0);
    expect(nextTask([undefined, 'cpu'], set(), set('wasm'))).to.equal(1);
  });
});
