// diagnose: which known cause reproduces the predictions a user obtained on the golden's probes.
import type { ScenarioContext } from '../checks/scenario-context.ts';
import { referenceBackend, type BackendName } from '../runtime/backends.ts';
import { buildTable, type TableOptions } from './hypothesis-table.ts';
import type { HypothesisTable } from './hypothesis.ts';
import { rankHypotheses, type DiagnoseOutcome } from './rank-hypotheses.ts';
import { readObtained, type ObtainedOutputs } from './read-obtained.ts';

export interface DiagnoseOptions extends Partial<Omit<TableOptions, 'base'>> {
  /** Where the predictions were made, when the file does not say (default: the reference backend). */
  base?: BackendName;
}
export interface DiagnoseFileOutcome extends DiagnoseOutcome {
  obtained: ObtainedOutputs;
  hypotheses: number;
}

/** Where the model-side causes run: the backend the obtained file names when it is usable here, else the reference. */
export function baseBackend(ctx: ScenarioContext, named: string | undefined, fallback: BackendName = referenceBackend): BackendName {
  const b = named as BackendName | undefined;
  return b && ctx.runtime.backends[b]?.usable ? b : fallback;
}

export function tableOptions(base: BackendName, o: DiagnoseOptions, usable: BackendName[]): TableOptions {
  return {
    base,
    backends: o.backends ?? usable,
    quantize: o.quantize ?? true,
    search: o.search ?? true,
    pairs: o.pairs ?? true,
    versions: o.versions ?? false,
    ...(o.cheapOnly ? { cheapOnly: true } : {}),
  };
}

const usableNodeBackends = (ctx: ScenarioContext): BackendName[] =>
  (['cpu', 'wasm', 'tensorflow'] as const).filter((b) => ctx.runtime.backends[b].usable);

export async function diagnoseFile(ctx: ScenarioContext, file: string, o: DiagnoseOptions = {}): Promise<DiagnoseFileOutcome> {
  const expected = (await ctx.expected(referenceBackend)).outputs;
  const obtained = await readObtained(file, ctx.scenario.name, expected);
  const base = baseBackend(ctx, obtained.backend, o.base);
  const table = await buildTable(ctx, tableOptions(base, o, usableNodeBackends(ctx)));
  return { ...rankHypotheses(table, obtained.outputs, ctx.scenario.definition.tolerance), obtained, hypotheses: table.hypotheses.length };
}

/** A table built once, for ranking many obtained outputs (the self-test). */
export function scenarioTable(ctx: ScenarioContext, o: DiagnoseOptions = {}): Promise<HypothesisTable> {
  return buildTable(ctx, tableOptions(o.base ?? referenceBackend, o, usableNodeBackends(ctx)));
}
