import path from 'node:path';
import type { Argv } from 'yargs';

export interface ResultsArgs {
  results: string;
}

/** `--results <dir>`: where a run leaves what failing comparisons obtained (`<dir>/obtained/…`), and review reads it. */
export function resultsOption<T>(y: Argv<T>) {
  return y.option('results', {
    type: 'string',
    default: 'results',
    describe: 'directory for what failing checks obtained (<dir>/obtained/<scenario>/outputs/<backend>.json)',
  });
}

export const resultsDir = (a: ResultsArgs): string => path.resolve(a.results);
