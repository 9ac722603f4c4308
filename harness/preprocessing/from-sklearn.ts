// Steps made from fitted state instead of fitting: the Keras import reads a scikit-learn
// transformer's fitted attributes (mean_, scale_, …) and builds the step that transforms as it did.
import { stepDefinition, undefinedKindMessage } from './define-step.ts';
import { describeZodIssue } from './restore-pipeline.ts';
import type { FittedStep } from './pipeline.ts';

/** A fitted step from its JSON state, validated by the step's own schemas. */
export function fittedStep(kind: string, state: unknown, options: Record<string, unknown> = {}, where = kind): FittedStep {
  const d = stepDefinition(kind);
  if (!d) throw new Error(`${where}: ${undefinedKindMessage(kind)}`);
  for (const [schema, value, field] of [
    [d.options, options, 'options'],
    [d.state, state, 'state'],
  ] as const) {
    const r = schema?.safeParse(value);
    if (r && !r.success) throw new Error(`${where}: ${describeZodIssue(r.error.issues[0]!, `${kind}.${field}`)}`);
  }
  return { kind, options, state };
}

type Attrs = Record<string, unknown>;
const nums = (a: Attrs, k: string) => a[k] as number[];
const width = (a: Attrs, ...keys: string[]) => {
  const n =
    a.n_features_in_ ?? keys.map((k) => (Array.isArray(a[k]) ? (a[k] as unknown[]).length : undefined)).find((x) => x !== undefined);
  if (typeof n !== 'number') throw new Error(`scikit-learn attributes must include n_features_in_ or one of ${keys.join(', ')}`);
  return n;
};
const fill = (n: number, v: number) => new Array<number>(n).fill(v);

/** scikit-learn class name → the step and how its fitted attributes become the step's state. */
const converters: Record<string, (a: Attrs) => { kind: string; state: unknown; options: Record<string, unknown> }> = {
  // The harness's standardScaler has scikit-learn's semantics ((x − mean_) / scale_; 1 for constant features).
  StandardScaler: (a) => {
    const n = width(a, 'mean_', 'scale_');
    return {
      kind: 'standardScaler',
      options: {},
      state: {
        mean: a.with_mean === false || a.mean_ == null ? fill(n, 0) : nums(a, 'mean_'),
        std: a.with_std === false || a.scale_ == null ? fill(n, 1) : nums(a, 'scale_'),
      },
    };
  },
  MinMaxScaler: (a) => {
    const featureRange = (a.feature_range as [number, number] | undefined) ?? [0, 1];
    return {
      kind: 'sklearnMinMaxScaler',
      options: { featureRange, ...(a.clip ? { clip: true } : {}) },
      state: { scale: nums(a, 'scale_'), min: nums(a, 'min_'), featureRange },
    };
  },
  RobustScaler: (a) => {
    const n = width(a, 'center_', 'scale_');
    return {
      kind: 'robustScaler',
      options: {},
      state: { center: a.center_ == null ? fill(n, 0) : nums(a, 'center_'), scale: a.scale_ == null ? fill(n, 1) : nums(a, 'scale_') },
    };
  },
  MaxAbsScaler: (a) => ({ kind: 'maxAbsScaler', options: {}, state: { scale: nums(a, 'scale_') } }),
  OneHotEncoder: (a) => {
    if (a.drop != null) throw new Error('OneHotEncoder: drop must be None; dropping a category is not supported, refit with drop=None');
    const unknown = a.handle_unknown === 'ignore' || a.handle_unknown === 'infrequent_if_exist' ? 'zeros' : 'error';
    return { kind: 'oneHot', options: { unknown }, state: { categories: a.categories_ } };
  },
};

/**
 * The step a fitted scikit-learn transformer becomes, from its attributes as JSON (`mean_`, `scale_`,
 * `center_`, `min_`, `categories_`, and the constructor parameters that change the transform).
 * `columns` is the ColumnTransformer entry's column indices, if any.
 */
export function fromSklearnState(className: string, attrs: Attrs, columns?: number[]): FittedStep {
  const convert = converters[className];
  if (!convert) throw new Error(`fromSklearnState: className must be one of ${Object.keys(converters).join(', ')}; got "${className}"`);
  const { kind, state, options } = convert(attrs);
  return fittedStep(kind, state, columns ? { ...options, columns } : options, `scikit-learn ${className}`);
}
