// The predictions diagnose judges: an outputs file in the golden codec (what a failing run writes to
// results/obtained/), or a plain JSON array of rows as an app dumps it (`model.predict(x).array()`).
// Checked hard against the golden's own outputs: a wrong shape or a non-number is named, never guessed at.
import { readFile } from 'node:fs/promises';
import { tensorJsonSchema } from '../golden/golden-schema.ts';
import { formatJsonPath, strictJsonParse } from '../golden/strict-json-parse.ts';
import { decodeTensor, type TensorJson } from '../golden/tensor-codec.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';

export interface ObtainedOutputs {
  /** The outputs the file holds (a plain array gives the first output only). */
  outputs: Predictions;
  /** Where the predictions were made, when the file says so (an outputs file's provenance). */
  backend?: string;
  tfjs?: string;
  form: 'outputs-file' | 'rows';
}

const describe = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;

/** A plain array of rows, flattened against the expected tensor's shape and dtype. */
function fromRows(rows: unknown[], expected: TensorData, file: string, key: string): TensorData {
  const [n, ...inner] = expected.shape;
  if (rows.length !== n)
    throw new Error(
      `${file}: (root) must hold one row per probe (${n}, as ${key} of the golden), found ${rows.length}; predict every probe of goldens/<scenario>/probes.json in order`,
    );
  const values: number[] = [];
  const walk = (v: unknown, dims: number[], path: (string | number)[]): void => {
    if (!dims.length) {
      const ok = typeof v === 'number' && Number.isFinite(v) ? true : v === 'NaN' || v === 'Infinity' || v === '-Infinity';
      if (!ok)
        throw new Error(`${file}: ${formatJsonPath(path)} must be a number (or "NaN", "Infinity", "-Infinity"), found ${describe(v)}`);
      if (expected.dtype !== 'float32' && !Number.isInteger(v))
        throw new Error(`${file}: ${formatJsonPath(path)} must be an integer (${key} is ${expected.dtype}), found ${describe(v)}`);
      values.push(typeof v === 'number' ? v : Number(v));
      return;
    }
    if (!Array.isArray(v) || v.length !== dims[0])
      throw new Error(
        `${file}: ${formatJsonPath(path)} must be an array of ${dims[0]} (rows of shape [${inner}], as ${key} of the golden), found ${Array.isArray(v) ? `${v.length} entries` : describe(v)}`,
      );
    v.forEach((x, i) => walk(x, dims.slice(1), [...path, i]));
  };
  // A model with one output unit is often dumped as a flat list of numbers ([0.3, 0.7]) rather than [[0.3], [0.7]].
  const flat = inner.length === 1 && inner[0] === 1 && rows.every((r) => !Array.isArray(r));
  rows.forEach((r, i) => walk(flat ? [r] : r, inner, [i]));
  const typed = expected.dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
  return { shape: [...expected.shape], dtype: expected.dtype, values: typed };
}

function fromOutputsFile(json: Record<string, unknown>, expected: Predictions, file: string, scenario: string): ObtainedOutputs {
  if (json.scenario !== undefined && json.scenario !== scenario)
    throw new Error(
      `${file}: scenario must be "${scenario}", found ${describe(json.scenario)}; these predictions belong to another scenario`,
    );
  const outputs = json.outputs;
  if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs))
    throw new Error(`${file}: outputs must be an object of tensors ({shape, dtype, data}) by output name, found ${describe(outputs)}`);
  const result: Predictions = {};
  for (const [key, t] of Object.entries(outputs)) {
    const e = expected[key];
    if (!e) throw new Error(`${file}: outputs.${key} must be one of the golden's outputs (${Object.keys(expected).join(', ')})`);
    const parsed = tensorJsonSchema.safeParse(t);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(
        `${file}: ${formatJsonPath(['outputs', key, ...issue.path])} ${issue.message.startsWith('must') ? '' : 'must be valid: '}${issue.message}`,
      );
    }
    const tensor = decodeTensor(parsed.data as TensorJson, `${file}: outputs.${key}`);
    if (tensor.shape.join() !== e.shape.join() || tensor.dtype !== e.dtype)
      throw new Error(
        `${file}: outputs.${key} must be ${e.dtype} of shape [${e.shape}] (one row per probe, as the golden), found ${tensor.dtype} [${tensor.shape}]`,
      );
    result[key] = tensor;
  }
  if (!Object.keys(result).length) throw new Error(`${file}: outputs must hold at least one of ${Object.keys(expected).join(', ')}`);
  return {
    outputs: result,
    form: 'outputs-file',
    ...(typeof json.backend === 'string' ? { backend: json.backend } : {}),
    ...(typeof json.tfjs === 'string' ? { tfjs: json.tfjs } : {}),
  };
}

/** Parses obtained predictions against the golden's outputs (their names, shapes and dtypes). */
export function parseObtained(text: string, file: string, scenario: string, expected: Predictions): ObtainedOutputs {
  const json = strictJsonParse(text, file);
  if (Array.isArray(json)) {
    const [key, e] = Object.entries(expected)[0]!;
    return { outputs: { [key]: fromRows(json, e, file, key) }, form: 'rows' };
  }
  if (json !== null && typeof json === 'object') return fromOutputsFile(json as Record<string, unknown>, expected, file, scenario);
  throw new Error(
    `${file}: (root) must be an outputs file ({outputs: {...}}, as goldens/${scenario}/outputs/<backend>.json) or a JSON array of rows, found ${describe(json)}`,
  );
}

export async function readObtained(file: string, scenario: string, expected: Predictions): Promise<ObtainedOutputs> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${file}: must be a readable file of predictions (${err.code ?? err.message}); pass --obtained <file>`);
  });
  return parseObtained(text, file, scenario, expected);
}
