import path from 'node:path';
import type { Argv } from 'yargs';

export interface ResultsArgs {
  results?: string;
  goldens: string;
}

/** `--results <dir>`: where a run leaves what failing comparisons obtained (`<dir>/obtained/…`), and review reads it. */
export function resultsOption<T>(y: Argv<T>) {
  return y.option('results', {
    type: 'string',
    defaultDescription: 'results, beside the goldens directory',
    describe: 'directory for what failing checks obtained (<dir>/obtained/<scenario>/outputs/<backend>.json)',
  });
}

/** Beside the goldens by default, so a scratch project's (or a test's) obtained files stay with its goldens. */
export const resultsDir = (a: ResultsArgs): string =>
  path.resolve(a.results ?? path.join(path.dirname(path.resolve(a.goldens)), 'results'));
