import { z } from 'zod';

const encoded = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity', '-0'])]);
export const tensorJsonSchema = z.object({
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(['float32', 'int32', 'bool']),
  data: z.array(encoded),
}).strict();

const value: z.ZodType<unknown> = z.lazy(() => z.union([z.number(), z.string(), z.array(value)]));
const example = z.union([value, z.record(z.string(), value)]);
const provenance = {
  scenario: z.string(),
  sourceHash: z.string().regex(/^[0-9a-f]{64}$/),
  tfjs: z.string(),
  backend: z.string(),
  node: z.string(),
  platform: z.string(),
  recorded: z.string(),
};
export const probesFileSchema = z.object({ ...provenance, inputs: z.array(example) }).strict();
export const outputsFileSchema = z.object({ ...provenance, outputs: z.record(z.string(), tensorJsonSchema) }).strict();

export type Provenance = { [K in keyof typeof provenance]: string };
export type ProbesFile = Omit<z.infer<typeof probesFileSchema>, 'inputs'> & { inputs: import('../types/example.ts').Example[] };
export type OutputsFile = z.infer<typeof outputsFileSchema>;

/** Parses a golden JSON file against its schema; errors name the file and the field. */
export function parseGoldenFile<T>(schema: z.ZodType<T>, text: string, file: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: must be valid JSON (${(err as Error).message}); restore it with git or re-record`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'} ${issue.message}; restore it with git or re-record`);
  }
  return parsed.data;
}
