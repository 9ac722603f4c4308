import { z } from 'zod';
import { checkProbeRows } from './probe-rows-check.ts';
import { formatJsonPath, GoldenFileError, strictJsonParse } from './strict-json-parse.ts';
import { tensorValueProblem, type EncodedValue } from './tensor-codec.ts';

export const tensorJsonSchema = z
  .object({
    shape: z.array(z.number().int().min(0)),
    dtype: z.enum(['float32', 'int32', 'bool']),
    // Any value here: the refinement below says what is wrong with it for this dtype.
    data: z.array(z.custom<EncodedValue>(() => true)),
  })
  .strict()
  .superRefine((t, ctx) => {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== size) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: `must have ${size} values for shape [${t.shape}], found ${t.data.length}` });
      return;
    }
    for (let i = 0; i < t.data.length; i++) {
      const problem = tensorValueProblem(t.dtype, t.data[i]);
      if (problem) return void ctx.addIssue({ code: 'custom', path: ['data', i], message: problem });
    }
  });

const provenance = {
  scenario: z.string(),
  sourceHash: z.string().regex(/^[0-9a-f]{64}$/),
  tfjs: z.string(),
  backend: z.string(),
  node: z.string(),
  platform: z.string(),
  recorded: z.string(),
};
// Rows are checked by hand rather than by a recursive zod union, whose errors say only "Invalid input".
const probeRows = z.unknown().superRefine((rows, ctx) => {
  const problem = checkProbeRows(rows);
  // Zod prefixes the field's own path (`inputs`).
  if (problem) ctx.addIssue({ code: 'custom', path: problem.path.slice(1), message: problem.message, input: rows });
});
const contractInput = z
  .object({
    /** The input's name for a multi-input model; absent for a single input. */
    name: z.string().optional(),
    dtype: z.enum(['float32', 'int32', 'bool']),
    /** Without the batch axis. */
    shape: z.array(z.number().int().min(0)),
    /** `per-feature`: one range per entry of the last axis; `pooled`: one range for every value (token ids). */
    ranges: z.enum(['per-feature', 'pooled']),
    min: z.array(z.number()),
    max: z.array(z.number()),
  })
  .strict()
  .superRefine((c, ctx) => {
    const features = c.ranges === 'pooled' ? 1 : (c.shape.at(-1) ?? 1);
    for (const field of ['min', 'max'] as const) {
      if (c[field].length !== features)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `must have ${features} value(s) (${c.ranges} ranges of shape [${c.shape}]), found ${c[field].length}`,
        });
    }
    const k = c.min.findIndex((m, i) => m > c.max[i]!);
    if (k >= 0) ctx.addIssue({ code: 'custom', path: ['min', k], message: `must not exceed max[${k}] (${c.min[k]} > ${c.max[k]})` });
  });
/** What the model's inputs look like after preprocessing, one entry per model input in the model's order. */
export const inputContractSchema = z
  .object({ inputs: z.array(contractInput).min(1, { message: 'must list at least one input' }) })
  .strict();
// The contract lives in probes.json: it describes the probes' model inputs and is written with them,
// so it is atomic with them by construction; goldens recorded before contracts simply lack it.
export const probesFileSchema = z.object({ ...provenance, inputs: probeRows, contract: inputContractSchema.optional() }).strict();
export const outputsFileSchema = z
  .object({
    ...provenance,
    /** What can change the bits on this machine (CPU features, browser build, GPU renderer); absent in older goldens. */
    fingerprint: z.record(z.string(), z.string()).optional(),
    outputs: z.record(z.string(), tensorJsonSchema),
  })
  .strict();

export type Provenance = { [K in keyof typeof provenance]: string };
export type ProbesFile = Omit<z.infer<typeof probesFileSchema>, 'inputs'> & { inputs: import('../types/example.ts').Example[] };
export type OutputsFile = z.infer<typeof outputsFileSchema>;
export type InputContract = z.infer<typeof inputContractSchema>;
export type InputContractEntry = InputContract['inputs'][number];

/** Parses a golden JSON file against its schema; errors name the file and the field. */
export function parseGoldenFile<T>(schema: z.ZodType<T>, text: string, file: string): T {
  const raw = strictJsonParse(text, file);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const message = issue.message.startsWith('must') ? issue.message : `must be valid: ${issue.message}`;
    const field = formatJsonPath(issue.path);
    throw new GoldenFileError(file, field, `${file}: ${field} ${message}; restore it with git or re-record`);
  }
  return parsed.data;
}

/** Parses `goldens/<scenario>/probes.json`, refusing one that names another scenario. */
export function parseProbesFile(text: string, file: string, scenario: string): ProbesFile {
  const probes = parseGoldenFile(probesFileSchema, text, file) as ProbesFile;
  if (probes.scenario !== scenario)
    throw new GoldenFileError(
      file,
      'scenario',
      `${file}: scenario must be "${scenario}" (its directory's name), found "${probes.scenario}"; the file belongs to another golden: restore it with git or re-record`,
    );
  return probes;
}

/** Parses `goldens/<scenario>/outputs/<backend>.json`, refusing one whose provenance names another scenario or backend. */
export function parseOutputsFile(text: string, file: string, scenario: string, backend: string): OutputsFile {
  const outputs = parseGoldenFile(outputsFileSchema, text, file);
  for (const [field, expected] of [
    ['scenario', scenario],
    ['backend', backend],
  ] as const) {
    if (outputs[field] !== expected)
      throw new GoldenFileError(
        file,
        field,
        `${file}: ${field} must be "${expected}" (from the file's path), found "${outputs[field]}"; the file belongs to another golden: restore it with git or re-record`,
      );
  }
  return outputs;
}
