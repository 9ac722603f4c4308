// Quantiles as numpy computes them (np.percentile, method 'linear'; np.median), so that steps
// fitted here match scikit-learn's fitted attributes bit for bit on the same data.

/** np.percentile(column, q) with linear interpolation, including numpy's two-sided lerp. */
export function percentile(column: number[], q: number): number {
  const sorted = Float64Array.from(column).sort();
  const n = sorted.length;
  if (!n) throw new Error('percentile: the column is empty; fit needs at least one training row');
  const index = (n - 1) * (q / 100);
  const below = Math.floor(index);
  const a = sorted[below]!;
  const b = sorted[Math.min(below + 1, n - 1)]!;
  const t = index - below;
  const diff = b - a;
  // numpy's _lerp: a + diff*t, but b - diff*(1 - t) from t >= 0.5 on (exact at both ends).
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** np.median: the middle value, or the mean of the two middle values. */
export function median(column: number[]): number {
  const sorted = Float64Array.from(column).sort();
  const n = sorted.length;
  if (!n) throw new Error('median: the column is empty; fit needs at least one training row');
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** scikit-learn's _handle_zeros_in_scale: a scale too small to divide by becomes 1. */
export function nonZeroScale(scale: number): number {
  return scale < 10 * Number.EPSILON ? 1 : scale;
}
