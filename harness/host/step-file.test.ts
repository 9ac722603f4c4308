// A host's step file: the last step written wins, whatever the lengths, and belongs to one task.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { newStepFile, readStepFile, stepOf, stepWriter } from './step-file.ts';

describe('step file', () => {
  it('keeps the last step of the task that wrote it, a shorter one over a longer one', () => {
    const file = newStepFile();
    const write = stepWriter(file);
    expect(stepOf(readStepFile(file), 7)).to.equal(undefined); // no step entered yet
    write(7, 'read bundle /a/very/long/path/model.json');
    write(7, 'training');
    expect(stepOf(readStepFile(file), 7)).to.equal('training');
    expect(stepOf(readStepFile(file), 8)).to.equal(undefined); // another task's
    // A file name may hold a newline, and discovery excludes a hanging file by the name in its step.
    write(8, 'import scenarios/a\nb.scenario.ts');
    expect(stepOf(readStepFile(file), 8)).to.equal('import scenarios/a\nb.scenario.ts');
  });

  it('gives every host its own file, in one directory of this process', () => {
    const [a, b] = [newStepFile(), newStepFile()];
    expect(a).not.to.equal(b);
    expect(path.dirname(a)).to.equal(path.dirname(b));
    expect(existsSync(path.dirname(a))).to.equal(true);
  });
});
