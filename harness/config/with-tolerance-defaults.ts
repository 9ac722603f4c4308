// The config's tolerance defaults sit beneath a scenario's own overrides, level by level, so a
// scenario that sets only `atol` keeps the project's `rtol`.
import type { ToleranceOverrides } from '../compare/tolerance.ts';

type Levels = Record<string, Record<string, number | undefined> | undefined>;

function mergeLevels(under: Levels | undefined, over: Levels | undefined): Levels | undefined {
  if (!under) return over;
  if (!over) return under;
  const out: Levels = { ...under };
  for (const [level, t] of Object.entries(over)) out[level] = { ...under[level], ...t };
  return out;
}

function mergeMaps(under?: Record<string, Levels>, over?: Record<string, Levels>): Record<string, Levels> | undefined {
  if (!under) return over;
  if (!over) return under;
  const out: Record<string, Levels> = { ...under };
  for (const [key, levels] of Object.entries(over)) out[key] = mergeLevels(under[key], levels)!;
  return out;
}

/** A scenario's tolerance overrides with the project's defaults beneath them. */
export function withToleranceDefaults(
  defaults: ToleranceOverrides | undefined,
  own: ToleranceOverrides | undefined,
): ToleranceOverrides | undefined {
  if (!defaults) return own;
  const { backends: db, outputs: dout, ...dl } = defaults as ToleranceOverrides & Levels;
  const { backends: ob, outputs: oout, ...ol } = (own ?? {}) as ToleranceOverrides & Levels;
  const backends = mergeMaps(db as Record<string, Levels>, ob as Record<string, Levels>);
  const outputs = mergeMaps(dout as Record<string, Levels>, oout as Record<string, Levels>);
  return {
    ...mergeLevels(dl as Levels, ol as Levels),
    ...(backends ? { backends } : {}),
    ...(outputs ? { outputs } : {}),
  } as ToleranceOverrides;
}
