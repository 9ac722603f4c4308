// One-hot encoding of categorical features (scikit-learn's OneHotEncoder, dense): each selected
// feature becomes one column per category, in the order of `categories`.
import { z } from 'zod';
import { defineStep } from './define-step.ts';
import { mapVectors } from './columns.ts';
import type { Value } from '../types/example.ts';

type Category = string | number;
/** What an unseen category becomes: an error, all zeros (sklearn's handle_unknown='ignore'), or an extra last column. */
export type UnknownCategory = 'error' | 'zeros' | 'other';
export interface OneHotOptions {
  categories?: Category[][];
  unknown?: UnknownCategory;
}
export interface OneHotState {
  categories: Category[][];
}

const category = z.union([z.string(), z.number()]);
const sortCategories = (values: Category[]) =>
  [...new Set(values)].sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1));

export const oneHot = defineStep<OneHotOptions, OneHotState>({
  kind: 'oneHot',
  options: z
    .object({
      categories: z.array(z.array(category).min(1)).optional(),
      unknown: z.enum(['error', 'zeros', 'other']).optional(),
      columns: z.array(z.number().int().nonnegative()).optional(),
    })
    .strict() as never,
  state: z.object({ categories: z.array(z.array(category)) }),
  // Declared categories win; otherwise the sorted distinct values seen in training, as sklearn does.
  fit(rows, { categories }) {
    if (categories) return { categories };
    const seen: Category[][] = [];
    for (const r of rows)
      mapVectors(r, (f) => {
        f.forEach((v, i) => (seen[i] ??= []).push(v as Category));
        return f;
      });
    return { categories: seen.map(sortCategories) };
  },
  transform(rows, { categories }, { unknown = 'error' }) {
    return rows.map((r) =>
      mapVectors(r, (f) => {
        if (f.length !== categories.length)
          throw new Error(`oneHot: each row must have ${categories.length} categorical feature(s) (the fitted ones); got ${f.length}`);
        return f.flatMap((v, i) => {
          const known = categories[i]!;
          const at = known.indexOf(v as Category);
          if (at < 0 && unknown === 'error') {
            throw new Error(
              `oneHot: feature ${i} has the unknown category ${JSON.stringify(v)} (known: ${known.map((k) => JSON.stringify(k)).join(', ')}); declare unknown: 'zeros' or 'other' to accept it`,
            );
          }
          const block: Value[] = new Array(known.length + (unknown === 'other' ? 1 : 0)).fill(0);
          if (at >= 0) block[at] = 1;
          else if (unknown === 'other') block[known.length] = 1;
          return block;
        });
      }),
    );
  },
  perturb: (st) => ({ categories: st.categories.map((c) => [...c].reverse()) }),
});
