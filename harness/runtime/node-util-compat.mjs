// tfjs-node 4.22 calls util.isNullOrUndefined on every native op and util.isArray on those that take
// several tensors (concat, stack, split). Node 23 removed the first (DEP0051): every native op throws
// "isNullOrUndefined is not a function" on Node 24. Node 22 prints a DeprecationWarning for each (DEP0051,
// DEP0044) on the stderr of every run that uses tensorflow, which reads as the harness's fault. Every
// process that loads tfjs-node calls this first: loadRuntime, setup-native.mjs's check, the Keras scripts
// (plain JavaScript, so that those scripts run on plain Node too).
import util from 'node:util';

/** Plain versions, with the same meaning, of the util functions tfjs-node calls. */
export function patchUtilForTfjsNode() {
  util.isNullOrUndefined = (value) => value === null || value === undefined;
  util.isArray = Array.isArray;
}
