// tfjs-node 4.22 calls util.isNullOrUndefined on every native op and util.isArray on those that take
// several tensors (concat, stack, split). Node 23 removed the first (DEP0051): every native op throws
// "isNullOrUndefined is not a function" on Node 24. Node 22 prints a DeprecationWarning for each (DEP0051,
// DEP0044) on the stderr of every run that uses tensorflow, which reads as the harness's fault. Every
// process that loads tfjs through loadRuntime gets plain versions with the same meaning. The scripts that
// load tfjs-node on their own (setup-native.mjs, scripts/keras/tfjs-in-node.mjs) do the same.
import util from 'node:util';

export function patchUtilForTfjsNode(): void {
  const u = util as unknown as Record<string, unknown>;
  u.isNullOrUndefined = (value: unknown) => value === null || value === undefined;
  u.isArray = Array.isArray;
}
