// Shared data types at the bottom of the layering: every layer may import them, they import nothing.
export type DType = 'float32' | 'int32' | 'bool';
/** Plain tensor data, independent of any tfjs runtime. */
export interface TensorData {
  shape: number[];
  dtype: DType;
  values: Float32Array | Int32Array;
}
/** Predictions of a model, keyed by output position (`output0`, `output0.labels`, …). */
export type Predictions = Record<string, TensorData>;
