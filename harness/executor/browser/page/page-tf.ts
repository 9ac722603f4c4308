// In the page, tfjs is the global `tf` of the served tf.min.js; its type comes from the runtime's view.
import type { Tf } from '../../../runtime/tf-types.ts';

export const pageTf = (): Tf => (globalThis as unknown as { tf: Tf }).tf;
