// Importing this module registers every built-in step; the pipeline imports it so they are always defined.
export { minMaxScaler, standardScaler, vocabulary, preprocessingSteps } from './steps.ts';
export { maxAbsScaler, robustScaler, sklearnMinMaxScaler } from './sklearn-scalers.ts';
export { clip, log1p, rescale } from './value-steps.ts';
export { oneHot } from './one-hot.ts';
