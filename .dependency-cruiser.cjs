// The layering of DESIGN.md ("Layout"), checked by `npm run deps`: dependencies point inward, so
// a layer can be tested, reused or replaced without dragging the ones above it along. Each rule
// names what it protects; a violation prints the rule's name with the import that breaks it.
// Test files are exempt from every rule: a test may reach into any layer to set its stage.
const notTest = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'tfjs-only-in-runtime',
      comment:
        'Only harness/runtime/ (and the browser page script) loads tfjs, so one runtime per tfjs version can be swapped in; ' +
        'every other layer receives `tf` as a parameter and takes tfjs types from runtime/tf-types.ts. Type-only imports count. ' +
        'scripts/keras/ is outside the harness: it checks converted fixtures with plain tfjs, as a user of the model would.',
      severity: 'error',
      from: {
        path: '^(harness|scenarios|scripts|bin)/',
        pathNot: ['^harness/runtime/', '^harness/executor/browser/page/', '^scripts/keras/', notTest],
      },
      to: { path: '(^|/)@tensorflow/' },
    },
    {
      name: 'compare-golden-import-only-types',
      comment:
        'compare/ and golden/ are the exact core (tolerances, comparison, golden store); they depend on nothing but the shared ' +
        'data types in harness/types/, so they can be property-tested alone and never change because an upper layer did.',
      severity: 'error',
      from: { path: '^harness/(compare|golden)/', pathNot: notTest },
      to: { path: '^harness/', pathNot: ['^harness/$1/', '^harness/types/'] },
    },
    {
      name: 'types-import-nothing',
      comment: 'harness/types/ is the bottom layer every layer may import; importing anything of the harness would make a cycle likely.',
      severity: 'error',
      from: { path: '^harness/types/', pathNot: notTest },
      to: { path: '^harness/', pathNot: '^harness/types/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'harness/cli/ is an entry point (yargs commands); only bin/ and the cli itself import it.',
      severity: 'error',
      from: { pathNot: ['^harness/cli/', '^bin/', notTest] },
      to: { path: '^harness/cli/' },
    },
    {
      name: 'nothing-imports-mocha',
      comment:
        'harness/mocha/ is an entry point (the generated suite, the only place that throws on a failed check); only bin/ and mocha itself import it.',
      severity: 'error',
      from: { pathNot: ['^harness/mocha/', '^bin/', notTest] },
      to: { path: '^harness/mocha/' },
    },
    {
      name: 'checks-below-entry-points',
      comment:
        'checks/ return outcomes and never print: hints from diagnose/ and formatting by report/ are added by cli/ and mocha/, ' +
        'and host/ runs checks, not the other way round.',
      severity: 'error',
      from: { path: '^harness/checks/', pathNot: notTest },
      to: { path: '^harness/(host|cli|mocha|report|diagnose)/' },
    },
    {
      name: 'diagnose-only-from-entry-points',
      comment:
        'diagnose/ ranks causes using checks/ and compare/; its hints on failed checks are added by cli/ and mocha/, so nothing below ' +
        'the entry points imports it (checks/ importing it would be a cycle). report/ may import its types, to format its results.',
      severity: 'error',
      from: { path: '^harness/', pathNot: ['^harness/(cli|mocha|diagnose)/', notTest] },
      to: { path: '^harness/diagnose/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'host-only-from-entry-points',
      comment: 'host/ (child processes, the --jobs pool) is driven by cli/ and mocha/; a lower layer that spawns hosts would nest pools.',
      severity: 'error',
      from: { path: '^harness/', pathNot: ['^harness/(cli|mocha|host)/', notTest] },
      to: { path: '^harness/host/' },
    },
    {
      name: 'executor-only-from-callers',
      comment:
        'executor/ (where tfjs runs: in-process or a Chromium page) is used by the entry points, host/, checks/ and diagnose/ (DESIGN.md).',
      severity: 'error',
      from: { path: '^harness/', pathNot: ['^harness/(cli|mocha|host|checks|diagnose|executor)/', notTest] },
      to: { path: '^harness/executor/' },
    },
    {
      name: 'executor-below-checks',
      comment: 'executor/ uses runtime/ and bundle/ only; importing checks/, host/ or cli/ would tie where tfjs runs to what is checked.',
      severity: 'error',
      from: { path: '^harness/executor/', pathNot: notTest },
      to: { path: '^harness/(checks|host|cli)/' },
    },
    {
      name: 'scenarios-use-public-entry',
      comment:
        'A scenario imports only harness/index.ts (and its own helpers under scenarios/), so the harness can be reorganised without editing scenarios.',
      severity: 'error',
      from: { path: '^scenarios/', pathNot: notTest },
      to: { path: '^harness/', pathNot: '^harness/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and the layers above meaningless.',
      severity: 'error',
      from: { pathNot: notTest },
      to: { circular: true },
    },
  ],
  options: {
    // `import type` and `import('…')` types are dependencies too: they couple the layers as much as values do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(goldens|results|reports|models)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
