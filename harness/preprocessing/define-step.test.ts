import { expect } from 'chai';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineStep, stepDefinition, type NoOptions } from './define-step.ts';
import { applyPipeline, fitPipeline } from './pipeline.ts';
import { standardScaler } from './steps.ts';

const here = fileURLToPath(import.meta.url);
const fixture = fileURLToPath(new URL('./fixtures/other-step.ts', import.meta.url));

describe('defineStep', () => {
  it('registers a user step that fits, persists through the pipeline and transforms, recording the defining file', () => {
    const offset = defineStep<NoOptions, { shift: number[] }>({
      kind: 'testOffset',
      fit: (rows) => ({ shift: (rows[0] as number[]).map((_, i) => Math.min(...(rows as number[][]).map((r) => r[i]!))) }),
      transform: (rows, { shift }) => (rows as number[][]).map((r) => r.map((v, i) => v - shift[i]!)),
    });
    expect(offset.definition.definedIn).to.equal(here);
    const state = fitPipeline(
      [offset()],
      [
        [3, 10],
        [5, 20],
      ],
    );
    expect(state.steps[0]).to.deep.equal({ kind: 'testOffset', options: {}, state: { shift: [3, 10] } });
    expect(applyPipeline(JSON.parse(JSON.stringify(state)), [[4, 4]])).to.deep.equal([[1, -6]]);
  });

  it('records the file of the built-ins as their own module', () => {
    expect(standardScaler.definition.definedIn).to.match(/harness\/preprocessing\/steps\.ts$/);
  });

  it('accepts one file defining a kind again (imported under two URLs, or re-imported after an edit): the newest wins', async () => {
    await import('./fixtures/other-step.ts');
    const again = (await import(
      new URL('./fixtures/other-step.ts?again', import.meta.url).href
    )) as typeof import('./fixtures/other-step.ts');
    expect(stepDefinition('fixtureTwiceImported')).to.equal(again.twiceImported.definition);
    expect(stepDefinition('fixtureTwiceImported')!.definedIn).to.equal(fixture);
  });

  it('refuses a different definition of a kind, naming both files', async () => {
    await import('./fixtures/other-step.ts');
    expect(() => defineStep({ kind: 'fixtureClash', transform: (rows) => rows.slice() })).to.throw(
      `defineStep: kind "fixtureClash" is already defined in ${path.relative(process.cwd(), fixture)}; ${path.relative(process.cwd(), here)} defines it again differently`,
    );
  });

  it('refuses a kind that is not a name, and a missing transform', () => {
    expect(() => defineStep({ kind: 'log transform', transform: (r) => r })).to.throw(/kind must be a name such as "logTransform"/);
    expect(() => defineStep({ kind: 'noTransform' } as never)).to.throw(
      /defineStep\(\{ kind: 'noTransform' \}\): transform must be a function/,
    );
  });
});
