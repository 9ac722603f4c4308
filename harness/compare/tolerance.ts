// Named tolerance levels; defaults come from measurements written down in the README.
export interface Tolerance {
  atol: number;
  rtol: number;
}
// Measured with `npm run measure` (tfjs 4.22.0): wasm and tensorflow differ from cpu by at most
// 2.4e-7 absolute on the golden bundles and 4.8e-7 after retraining; the defaults keep about a 10×
// and 20× margin (README "Tolerances"). Across tfjs 3.21.0, 4.10.0 and 4.22.0 (`matrix`), every golden
// replays bit-identically, so `version` stays at the first, tighter setting.
export const toleranceLevels = {
  replay: { atol: 0, rtol: 0 },
  version: { atol: 1e-6, rtol: 1e-5 },
  crossBackend: { atol: 2e-6, rtol: 1e-5 },
  retrain: { atol: 1e-5, rtol: 1e-4 },
  // What float16 storage leaves of float32 (webgl-f16, phones with half-float textures only): planning
  // measured max abs 1.6e-4 to 5.2e-2 beyond crossBackend on the goldens; see README "In the browser".
  halfPrecision: { atol: 1e-3, rtol: 1e-3 },
  // tfjs 4.22.0 against Keras/TensorFlow 2.13.1 on the imported models measured at most 4.8e-7 abs and
  // 7.9e-7 rel (planning: 9.5e-7 / 1.4e-6): float32 sums in another order than TF's kernels. About 10×.
  crossFramework: { atol: 1e-5, rtol: 1e-5 },
  // Weights quantized as the converter writes them, against the same backend's float goldens; measured
  // on every scenario (README "Quantization drift"): max abs 4.3e-3 / 2.7e-4 / 7.5e-2 (on outputs near
  // 22), and on small outputs up to 8.2e-3 abs (uint8). About 2-4× above the worst case.
  float16: { atol: 1e-2, rtol: 1e-2 },
  uint16: { atol: 1e-3, rtol: 1e-3 },
  uint8: { atol: 5e-2, rtol: 1e-1 },
} satisfies Record<string, Tolerance>;
export type ToleranceLevel = keyof typeof toleranceLevels;

/** Backends that compute in half precision, and are judged under `halfPrecision` where others use `crossBackend`. */
export const halfPrecisionBackends: readonly string[] = ['webgl-f16'];
/** The level at which a backend must agree with another one. */
export const crossLevel = (backend: string): ToleranceLevel => (halfPrecisionBackends.includes(backend) ? 'halfPrecision' : 'crossBackend');

type LevelOverrides = Partial<Record<ToleranceLevel, Partial<Tolerance>>>;
/** Per-scenario overrides: by level, then by backend, then by output name (most specific wins). */
export interface ToleranceOverrides extends LevelOverrides {
  backends?: Record<string, LevelOverrides>;
  outputs?: Record<string, LevelOverrides>;
}

export function resolveTolerance(
  level: ToleranceLevel,
  overrides: ToleranceOverrides | undefined,
  backend: string,
  output?: string,
): Tolerance {
  return {
    ...toleranceLevels[level],
    ...overrides?.[level],
    ...overrides?.backends?.[backend]?.[level],
    ...(output === undefined ? {} : overrides?.outputs?.[output]?.[level]),
  };
}
