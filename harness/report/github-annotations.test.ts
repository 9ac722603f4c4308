import { expect } from 'chai';
import { scenarioFileOf } from './ci-reports.ts';
import { annotationLines, checkAnnotations, MAX_ANNOTATIONS } from './github-annotations.ts';
import { failedFault, failedReplay } from './report-fixtures.ts';

describe('GitHub annotations', () => {
  const fileOf = scenarioFileOf('scenarios');

  it('names the scenario file relative to the checkout', () => {
    expect(fileOf('iris-labels')).to.equal('scenarios/iris-labels.scenario.ts');
  });

  it('annotates the 10 worst failures, replay before faults and larger drift first, then counts the rest', () => {
    const outcomes = [failedFault('a'), ...Array.from({ length: 11 }, (_, i) => failedReplay(`s${i}`, (i + 1) * 1e-3))];
    const lines = annotationLines(checkAnnotations(outcomes, fileOf));
    expect(lines).to.have.length(MAX_ANNOTATIONS + 1);
    expect(lines[0]).to.match(/^::error file=scenarios\/s10\.scenario\.ts,title=s10 › cpu · memory › replay failed::/);
    expect(lines[9]).to.match(/file=scenarios\/s1\.scenario\.ts/);
    expect(lines.join('\n')).to.not.contain('file=scenarios/s0.scenario.ts').and.not.contain('weights-perturbed');
    expect(lines[10]).to.equal('::notice title=tfjs-repro%3A more failures::2 more failures are not annotated; the job summary lists them');
  });

  it('escapes the separators of workflow commands, so a message cannot end the annotation or add a property', () => {
    const [line] = annotationLines([{ file: 'a,b:c.ts', title: 'x, y: z', message: '100% wrong\r\nline 2 ::error::forged' }]);
    expect(line).to.equal('::error file=a%2Cb%3Ac.ts,title=x%2C y%3A z::100%25 wrong%0D%0Aline 2 ::error::forged');
  });
});
