// tfjs-node 4.22 calls util.isNullOrUndefined, which Node 23 removed (DEP0051), so every native op
// throws "isNullOrUndefined is not a function" on Node 24. Put the function back before it loads;
// on Node 22 it still exists and is left alone.
import util from 'node:util';

export function restoreRemovedUtil(): void {
  const u = util as unknown as Record<string, unknown>;
  u.isNullOrUndefined ??= (value: unknown) => value === null || value === undefined;
}
