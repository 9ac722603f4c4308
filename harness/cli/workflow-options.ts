// Options of review and accept: which obtained files, where the goldens and scenarios are, and the guards.
import path from 'node:path';
import type { Argv } from 'yargs';
import { GoldenStore } from '../golden/golden-store.ts';
import { parseBackendName } from '../runtime/backends.ts';
import { reviewObtained, type ReviewItem } from '../workflow/obtained-review.ts';
import { resultsDir, resultsOption, type ResultsArgs } from './results-option.ts';

export interface WorkflowArgs extends ResultsArgs {
  scenario?: string[];
  backend?: string | string[];
  json: boolean;
  scenarios: string;
  goldens: string;
  force: boolean;
  'allow-tfjs-change': boolean;
}

export function workflowOptions<T>(y: Argv<T>) {
  return resultsOption(
    y
      .positional('scenario', { type: 'string', array: true, describe: 'scenario names (default: every obtained file)' })
      .option('backend', { alias: 'b', type: 'string', describe: 'only these backends (comma-separated or repeated)' })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .option('scenarios', { type: 'string', default: 'scenarios', describe: 'directory of *.scenario.ts files' })
      .option('goldens', { type: 'string', default: 'goldens', describe: 'directory of recorded goldens' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'accept under CI=true, and accept obtained outputs older than the golden or from another tfjs version',
      })
      .option('allow-tfjs-change', {
        type: 'boolean',
        default: false,
        describe: "accept obtained outputs from another tfjs version than the golden's",
      }),
  );
}

const list = (v: string | string[] | undefined) =>
  [v ?? []]
    .flat()
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);

export async function workflowItems(a: WorkflowArgs): Promise<{ store: GoldenStore; results: string; items: ReviewItem[] }> {
  const store = new GoldenStore(path.resolve(a.goldens));
  const results = resultsDir(a);
  const backends = list(a.backend).map((b) => parseBackendName(b, '--backend'));
  const items = await reviewObtained({
    store,
    results,
    scenariosDir: path.resolve(a.scenarios),
    ...(a.scenario?.length ? { scenarios: list(a.scenario) } : {}),
    ...(backends.length ? { backends } : {}),
  });
  return { store, results, items };
}

export const nothingObtained = (a: WorkflowArgs, verb: 'review' | 'accept'): string =>
  `nothing to ${verb}: no obtained outputs under ${path.relative(process.cwd(), path.join(resultsDir(a), 'obtained')) || '.'}${a.scenario?.length ? ` for ${list(a.scenario).join(', ')}` : ''} (a failing replay, agreement or reference check writes them)\n`;

/** Items as JSON: provenance and differences, without the tensors themselves. */
export const itemsJson = (items: ReviewItem[]) =>
  items.map(({ obtained, golden, probes: _probes, ...rest }) => ({
    ...rest,
    obtained: obtained && { ...obtained, outputs: Object.keys(obtained.outputs) },
    ...(golden ? { golden: { ...golden, outputs: Object.keys(golden.outputs) } } : {}),
  }));
