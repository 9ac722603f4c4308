// Probes when the user gives none: standard normal rows drawn with a seeded generator, shaped by the
// model's input signature (the first batch_input_shape / inputShape in its topology).

function inputShape(node: unknown): number[] | undefined {
  if (!node || typeof node !== 'object') return undefined;
  for (const key of ['batch_input_shape', 'batchInputShape', 'batch_shape']) {
    const v = (node as Record<string, unknown>)[key];
    if (Array.isArray(v)) return v.slice(1) as number[];
  }
  for (const v of Object.values(node)) {
    const found = inputShape(v);
    if (found) return found;
  }
  return undefined;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededProbes(modelJson: unknown, rows: number, seed: number): unknown[] {
  const shape = inputShape((modelJson as { modelTopology?: unknown }).modelTopology);
  if (!shape || shape.some((d) => typeof d !== 'number' || d < 1))
    throw new Error(
      `the model's input signature has no fixed shape (${JSON.stringify(shape)}); pass --probes <file.json> with raw input rows`,
    );
  const rng = mulberry32(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const fill = (dims: number[]): unknown => (dims.length ? Array.from({ length: dims[0]! }, () => fill(dims.slice(1))) : gaussian());
  return Array.from({ length: rows }, () => fill(shape));
}
