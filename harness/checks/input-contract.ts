// The input contract: what the model's inputs look like after preprocessing (dtype, shape without the
// batch axis, value range per feature on the training data). `record` writes it into probes.json;
// replay refuses inputs that break it, because some breaks (an int32 input to a dense layer) do not
// move the outputs at all.
import type { InputContract, InputContractEntry } from '../golden/golden-schema.ts';
import type { PreprocessingState } from '../preprocessing/pipeline-state.ts';
import type { Extrapolation } from '../scenario/define-scenario.ts';
import type { TensorData } from '../types/tensor-data.ts';

/** Steps whose output is categorical ids: every position holds the same ids, so one range covers the input. */
const ID_STEPS = new Set(['vocabulary']);

const FLOAT32_EPSILON = 2 ** -23;

export class ContractViolation extends Error {}

export interface ContractCheck {
  contract: InputContract;
  /** The scenario's declaration; its features' ranges are not enforced. */
  extrapolates?: Extrapolation | undefined;
  /** The file holding the contract, for messages. */
  file: string;
  /** Whether ranges are enforced at all (dtype and shape always are). */
  ranges?: boolean;
}

function lastStepKind(state: PreprocessingState, name: string | undefined): string | undefined {
  const steps = (name !== undefined ? state.inputs?.[name]?.steps : undefined) ?? state.steps;
  return steps.at(-1)?.kind;
}

/** Whether an input holds token ids (its last preprocessing step is a vocabulary). */
export function isIdInput(state: PreprocessingState, name: string | undefined): boolean {
  return ID_STEPS.has(lastStepKind(state, name) ?? '');
}

/** The contract of preprocessed training inputs; `names` are the model's input names for named rows. */
export function contractOf(inputs: TensorData[], names: string[] | undefined, state: PreprocessingState): InputContract {
  return {
    inputs: inputs.map((t, i) => {
      const name = names?.[i];
      const pooled = isIdInput(state, name);
      const features = pooled || t.shape.length < 2 ? 1 : t.shape.at(-1)!;
      const min: number[] = [];
      const max: number[] = [];
      t.values.forEach((v, k) => {
        const f = pooled || t.shape.length < 2 ? 0 : k % features;
        min[f] = Math.min(min[f] ?? v, v);
        max[f] = Math.max(max[f] ?? v, v);
      });
      const entry: InputContractEntry = { dtype: t.dtype, shape: t.shape.slice(1), ranges: pooled ? 'pooled' : 'per-feature', min, max };
      return name === undefined ? entry : { name, ...entry };
    }),
  };
}

/**
 * The values accepted for a feature: the training range widened by its own width on each side. The
 * input domain reaches half a width past training, so only probes well outside it (or a pipeline that
 * emits another scale, such as [0, 255] for [0, 1]) are refused.
 */
export function allowedRange(entry: InputContractEntry, feature: number): [number, number] {
  const min = entry.min[feature]!;
  const max = entry.max[feature]!;
  const width = max - min || 1;
  return [min - width, max + width];
}

function extrapolated(ext: Extrapolation | undefined, name: string | undefined): true | Set<number> {
  if (ext === undefined) return new Set();
  if (ext === true) return true;
  if (Array.isArray(ext)) return new Set(ext);
  const own = name === undefined ? undefined : ext[name];
  return own === true ? true : new Set(own ?? []);
}

const label = (e: InputContractEntry, i: number) => (e.name === undefined ? `input ${i}` : `input "${e.name}"`);

/** Throws a ContractViolation naming the input, the feature, the value and the contract's range. */
export function enforceContract(check: ContractCheck, inputs: TensorData[], where: string): void {
  const { contract, file } = check;
  if (inputs.length !== contract.inputs.length) {
    throw new ContractViolation(
      `${where}: the model must get ${contract.inputs.length} input(s) per the input contract in ${file}, got ${inputs.length}; the preprocessing no longer produces the inputs the golden was recorded with`,
    );
  }
  contract.inputs.forEach((entry, i) => {
    const t = inputs[i]!;
    const at = `${where}: ${label(entry, i)}`;
    if (t.dtype !== entry.dtype) {
      throw new ContractViolation(
        `${at} dtype must be ${entry.dtype} (input contract in ${file}), got ${t.dtype}; feed ${entry.dtype} data (tfjs casts some inputs silently, so the outputs alone may not show this)`,
      );
    }
    const shape = t.shape.slice(1);
    if (shape.length !== entry.shape.length || shape.some((d, k) => d !== entry.shape[k])) {
      throw new ContractViolation(
        `${at} shape must be [batch, ${entry.shape}] (input contract in ${file}), got [${t.shape}]; the preprocessing changes the shape the model was trained on`,
      );
    }
    if (check.ranges === false) return;
    const skip = extrapolated(check.extrapolates, entry.name);
    if (skip === true) return;
    const features = entry.ranges === 'pooled' ? 1 : entry.min.length;
    const perRow = shape.reduce((a, b) => a * b, 1);
    t.values.forEach((v, k) => {
      const f = entry.ranges === 'pooled' ? 0 : k % features;
      if (skip.has(f)) return;
      const [lo, hi] = allowedRange(entry, f);
      // Inputs are float32: a value on a bound may round past it by one float32 step.
      const step = Math.max(Math.abs(lo), Math.abs(hi)) * FLOAT32_EPSILON;
      if (v >= lo - step && v <= hi + step) return;
      throw new ContractViolation(
        `${at} feature ${f} value ${v} (row ${Math.floor(k / Math.max(perRow, 1))}) is outside the input contract's range [${lo}, ${hi}] (training range [${entry.min[f]}, ${entry.max[f]}] widened by its width; ${file}); if the probes extrapolate on purpose, declare it in the scenario (extrapolates: true or the feature indices), otherwise the preprocessing no longer matches training`,
      );
    });
  });
}
