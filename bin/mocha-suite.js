// `import 'tfjs-repro/mocha'` in a project's test file: the generated suite for that project's
// scenarios (tfjs-repro.config.json). Registers tsx first, since the harness ships as TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('../harness/mocha/scenario-jobs.ts');
await import('../harness/mocha/scenario-suite.ts');
