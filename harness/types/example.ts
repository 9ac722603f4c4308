// Raw input rows as scenarios write them; shared by preprocessing, goldens and checks.

/** One input value: a number, a string (text for a vocabulary), or nested arrays of them. */
export type Value = number | string | Value[];
/** One example: a value for a single-input model, or a value per input name for a multi-input one. */
export type Example = Value | { [input: string]: Value };

export function isNamed(e: unknown): e is Record<string, Value> {
  return typeof e === 'object' && e !== null && !Array.isArray(e);
}
