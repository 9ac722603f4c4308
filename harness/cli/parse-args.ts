// Option values that yargs cannot check by type alone.

/** --seed must be an integer (fast-check seeds are 32-bit); yargs would turn "1.5" or "abc" into NaN or 1.5. */
export function parseSeed(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const seed = Number(text);
  if (!/^-?\d+$/.test(text) || seed < -(2 ** 31) || seed >= 2 ** 31)
    throw new Error(`--seed must be a 32-bit integer, as printed by a failing property; got "${value}"`);
  return seed;
}
