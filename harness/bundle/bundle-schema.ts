// Schemas of the bundle's JSON files. Parsed JSON is checked for shape before any field is used, so
// a wrong type is an error naming the file and the field, never "Cannot read properties of null".
import { z } from 'zod';
import { isSafeBundlePath, MAX_BUNDLE_PATH_LENGTH } from './bundle-names.ts';
import { MAX_BUNDLE_FILES, MAX_JSON_DEPTH } from './bundle-limits.ts';

const SAFE_SET = `letters, digits, ".", "_", "-" and "/" between segments, no "." or ".." segment, at most ${MAX_BUNDLE_PATH_LENGTH} characters`;
const fileName = (what: string) =>
  z.string().refine(isSafeBundlePath, {
    error: (iss) =>
      `${what} "${String(iss.input).slice(0, 80)}" must stay inside the bundle directory, named from one safe set (${SAFE_SET})`,
  });

const manifestEntry = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hex digits' }),
    bytes: z.number().int().min(0), // each file's cap is checked by name after parsing
  })
  .strict();

export const manifestSchema = z
  .object({
    scenario: z.string().min(1).max(200),
    tfjs: z.string().min(1).max(200),
    backend: z.string().min(1).max(200),
    created: z.string().min(1).max(200),
    files: z.record(fileName('file name'), manifestEntry).superRefine((files, ctx) => {
      const names = Object.keys(files);
      if (names.length > MAX_BUNDLE_FILES)
        ctx.addIssue({ code: 'custom', message: `must list at most ${MAX_BUNDLE_FILES} files, found ${names.length}` });
      // A case-insensitive file system (macOS, Windows) would merge these into one file.
      const seen = new Map<string, string>();
      for (const n of names) {
        const other = seen.get(n.toLowerCase());
        if (other !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [n],
            message: `differs from "${other}" only in case; file names must differ on every file system`,
          });
        seen.set(n.toLowerCase(), n);
      }
    }),
  })
  .strict();

const dim = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const weightSpec = z
  .object({
    name: z.string().min(1).max(1000),
    shape: z.array(dim).max(32),
    // What tfjs layers models hold; the size of each is known, so the shards' length can be checked.
    dtype: z.enum(['float32', 'int32', 'bool']),
    quantization: z
      .object({
        dtype: z.enum(['uint8', 'uint16', 'float16']),
        scale: z.number().optional(),
        min: z.number().optional(),
        original_dtype: z.enum(['float32', 'int32']).optional(),
      })
      .strict()
      .optional(),
    group: z.enum(['model', 'optimizer']).optional(),
  })
  .strict();

const weightGroup = z.object({ paths: z.array(fileName('weight path')).max(MAX_BUNDLE_FILES), weights: z.array(weightSpec) }).strict();
const jsonObject = z.record(z.string(), z.unknown());

// The skeleton tfjs walks before any layer validates its own config: a model (or a Keras
// model_config wrapper) of layers, each with a class name and a config object.
const layer = z.object({ class_name: z.string().min(1).max(200), config: jsonObject }).loose();
const layersOf = (config: unknown) =>
  (Array.isArray(config) ? z.array(layer) : z.object({ layers: z.array(layer) }).loose()).safeParse(config);
// A graph model's topology (format "graph-model"): a GraphDef as JSON, a list of named op nodes.
const graphNode = z
  .object({
    name: z.string().min(1).max(1000),
    op: z.string().min(1).max(200),
    input: z.array(z.string().max(1000)).optional(),
    attr: jsonObject.optional(),
    device: z.string().max(200).optional(),
  })
  .loose();
const graphTopology = z.object({ node: z.array(graphNode), library: jsonObject.optional(), versions: jsonObject.optional() }).loose();
const isGraphTopology = (t: Record<string, unknown>) => Array.isArray(t.node) && !('class_name' in t) && !('model_config' in t);
const topology = jsonObject.superRefine((t, ctx) => {
  if (isGraphTopology(t)) {
    const graph = graphTopology.safeParse(t);
    for (const issue of graph.success ? [] : graph.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return;
  }
  const wrapped = 'model_config' in t;
  const at = wrapped ? ['model_config'] : [];
  const model = z
    .object({
      class_name: z.string().min(1).max(200),
      config: z.union([z.array(z.unknown()), jsonObject], { error: 'must be a list of layers, or an object with a layers list' }),
    })
    .loose()
    .safeParse(wrapped ? t.model_config : t);
  const inner = model.success ? layersOf(model.data.config) : model;
  for (const issue of inner.success ? [] : inner.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...at, ...(model.success ? ['config'] : []), ...issue.path] });
  }
});
const trainingConfig = z
  .object({
    optimizer_config: z.object({ class_name: z.string().min(1).max(200), config: jsonObject }).loose(),
    loss: z.union([z.string(), z.array(z.string()), z.record(z.string(), z.string())]),
  })
  .loose();

export const modelJsonSchema = z
  .object({
    modelTopology: topology,
    weightsManifest: z.array(weightGroup).max(MAX_BUNDLE_FILES),
    format: z.enum(['layers-model', 'graph-model']).optional(),
    generatedBy: z.string().max(200).optional(),
    convertedBy: z.string().max(200).nullable().optional(),
    trainingConfig: trainingConfig.optional(),
    userDefinedMetadata: jsonObject.optional(),
    signature: jsonObject.optional(),
    modelInitializer: jsonObject.optional(),
    initializerSignature: jsonObject.optional(),
  })
  .strict();

export type ManifestJson = z.infer<typeof manifestSchema>;
export type ModelJson = z.infer<typeof modelJsonSchema>;
export type WeightSpec = z.infer<typeof weightSpec>;

/** Keeps a hostile key or path from making a megabyte-long message. */
const short = (s: string, max = 160) => (s.length > max ? `${s.slice(0, max)}…` : s);
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Walks parsed JSON without recursion: refuses deep nesting (tfjs recurses into it) and "__proto__" keys. */
function checkJsonTree(root: unknown): string | undefined {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `${short(path) || '(root)'} nests deeper than ${MAX_JSON_DEPTH} levels`;
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      if (key === '__proto__') return `${short(at)} is not allowed (a "__proto__" key would change an object's prototype)`;
      stack.push({ v: (v as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return undefined;
}

/** zod's "Invalid input: expected number, received string" as this project words errors: "must be number, found string". */
function humanize(message: string): string {
  return message
    .replace(
      /^Invalid input: expected (\w+), received (\w+)$/,
      (_, a: string, b: string) => `must be ${a === 'record' ? 'object' : a}, found ${b}`,
    )
    .replace(/^Too (?:small|big): expected \w+ to (be|have) (.*)$/, 'must $1 $2')
    .replace(/^Invalid option: expected one of (.*)$/, 'must be one of $1')
    .replace(/^Unrecognized keys?: (.*)$/, 'has unknown field(s) $1; remove them')
    .replace(/^Invalid input$/, 'must have the documented form');
}

/**
 * Decodes (strict UTF-8), parses and validates one bundle JSON file. Errors read
 * `<where>/<file>: <field> <what it must be>; <fix>`.
 */
export function parseBundleJson<T>(schema: z.ZodType<T>, bytes: Uint8Array, file: string, where: string): T {
  const fix = 're-create the bundle (npx tfjs-repro record) or restore it with git';
  let raw: unknown;
  try {
    raw = JSON.parse(utf8Strict.decode(bytes));
  } catch (err) {
    const what = err instanceof SyntaxError ? `must be valid JSON (${err.message})` : 'must be UTF-8 text';
    throw new Error(`${where}/${file}: ${what}; ${fix}`, { cause: err });
  }
  const tree = checkJsonTree(raw);
  if (tree) throw new Error(`${where}/${file}: ${tree}; ${fix}`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    let issue = parsed.error.issues[0]!;
    const path = [...issue.path];
    // A bad record key: report the key's own issue (our file-name message), at the key.
    if (issue.code === 'invalid_key' && issue.issues[0]) issue = { ...issue.issues[0], path } as typeof issue;
    const field = path.length ? path.map(String).join('.') : '(root)';
    const message = humanize(issue.message);
    const sep = message.startsWith('must') || message.startsWith('has') ? ' ' : ': ';
    throw new Error(`${where}/${file}: ${short(field)}${sep}${short(message, 300)}; ${fix}`);
  }
  return parsed.data;
}
