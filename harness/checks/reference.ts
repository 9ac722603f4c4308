// The `reference` check: tfjs on a backend against the framework that made the model (Keras or
// TensorFlow in Python), on the golden probes, under `crossFramework` (`halfPrecision` on a
// half-precision backend, whichever is looser).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { halfPrecisionBackends, type ToleranceLevel } from '../compare/tolerance.ts';
import type { FormatName } from '../bundle/formats.ts';
import { isSavedScenario } from '../scenario/define-scenario.ts';
import type { BackendName } from '../runtime/backends.ts';
import { NotApplicable, type Predictions } from './model-ops.ts';
import { modelHash, probesHash, readReference, sha256Text } from './reference-file.ts';
import { GoldenUnusable, type ScenarioContext } from './scenario-context.ts';
import { SAVED_PREPROCESSING } from './saved-model.ts';

export const referenceLevel = (backend: string): ToleranceLevel =>
  halfPrecisionBackends.includes(backend) ? 'halfPrecision' : 'crossFramework';

const reimport = (name: string) => `re-import the model to re-record them: npx tfjs-repro import ${name} --from <source> --update`;

/** The reference outputs and this backend's predictions of the golden bundle, once the reference is known current. */
export async function referencePair(
  ctx: ScenarioContext,
  backend: BackendName,
  format: FormatName = 'memory',
): Promise<{ actual: Predictions; expected: Predictions; level: ToleranceLevel; all: Predictions }> {
  const def = ctx.scenario.definition as typeof ctx.scenario.definition & { modelPath?: string };
  if (!isSavedScenario(def) || !def.modelPath)
    throw new NotApplicable('the model is trained here: there is no other framework to compare with');
  const found = await readReference(def.modelPath);
  if (!found)
    throw new NotApplicable(`no reference outputs in ${def.modelPath}/reference/ (the model was not imported from Keras or TensorFlow)`);
  const { file, ref, outputs } = found;
  const probes = await ctx.probes();
  const pre = await readFile(path.join(def.modelPath, SAVED_PREPROCESSING), 'utf8').catch(() => '');
  const stale = [
    ['probes', probesHash(probes.inputs), ref.dependsOn.probes],
    ['preprocessing', sha256Text(pre), ref.dependsOn.preprocessing],
    ['model', await modelHash(def.modelPath), ref.dependsOn.model],
  ].find(([, now, then]) => now !== then);
  if (stale)
    throw new GoldenUnusable(
      `${file}: dependsOn.${stale[0]} must match the ${stale[0]} of ${def.modelPath}; they changed since the reference was recorded; ${reimport(ctx.scenario.name)}`,
    );
  const actual = await ctx.replayPredictions(backend, format);
  // Argmax labels are the harness's own addition; the framework gave only the outputs.
  const compared = Object.fromEntries(Object.entries(actual).filter(([k]) => k in outputs || !k.endsWith('.labels')));
  return { actual: compared, expected: outputs, level: referenceLevel(backend), all: actual };
}
