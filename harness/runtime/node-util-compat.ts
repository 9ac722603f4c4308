// tfjs-node 4.22 calls util.isNullOrUndefined and util.isArray on every native op. Node 23 removed the
// first (DEP0051), so every native op throws "isNullOrUndefined is not a function" on Node 24, and Node 22
// prints a DeprecationWarning for each (DEP0051, DEP0044) on the stderr of every run that uses tensorflow,
// which reads as the harness's fault. Hosts get plain versions with the same meaning before tfjs-node loads.
import util from 'node:util';

export function patchUtilForTfjsNode(): void {
  const u = util as unknown as Record<string, unknown>;
  u.isNullOrUndefined = (value: unknown) => value === null || value === undefined;
  u.isArray = Array.isArray;
}
