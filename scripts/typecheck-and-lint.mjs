#!/usr/bin/env node
// Type check and type-aware lint on ONE TypeScript program: ESLint's rules then reuse the types
// `tsc` already resolved instead of building and checking the program a second time (on this code
// base, with tfjs's declarations, that second pass costs more than the lint itself).
// Same files and rules as `npm run typecheck` and `npm run lint`; exits 1 on any error.
// Usage: node scripts/typecheck-and-lint.mjs [--lint-only]   (--lint-only: print only lint problems)
import path from 'node:path';
import ts from 'typescript';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '..');
const lintOnly = process.argv.includes('--lint-only');

const host = {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
};
const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, host);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
const diagnostics = ts.getPreEmitDiagnostics(program);

const eslint = new ESLint({
  cwd: root,
  overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, programs: [program] } } },
});
const results = await eslint.lintFiles(['harness/**/*.ts', 'scenarios/**/*.ts', 'scripts/**/*.ts', 'bin/*.js']);
const lintErrors = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);

if (diagnostics.length && !lintOnly) {
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stdout.write(`tsc: ${diagnostics.length} error(s)\n${ts.formatDiagnostics(diagnostics, formatHost)}\n`);
}
if (lintErrors) process.stdout.write(await (await eslint.loadFormatter('stylish')).format(results));
process.exitCode = lintErrors || (diagnostics.length && !lintOnly) ? 1 : 0;
