// Enforces the "may import" column of /work/shared/design/architecture.md.
// Run by `npm run lint` (depcruise CLI) and by tests/architecture.int.spec.ts (API).
//
// Spec files (`*.spec.ts`) are test code even when they sit beside the code they test:
// they may use vitest, fast-check, node built-ins and tests/support, so the per-layer
// allow-lists below apply to non-spec sources only.

const SPEC = '\\.spec\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'contracts-import-zod-only',
      comment: 'contracts/ holds zod schemas: it may import other contracts and zod, nothing else.',
      severity: 'error',
      from: { path: '^contracts/', pathNot: SPEC },
      to: { pathNot: ['^contracts/', '^node_modules/zod/'] },
    },
    {
      name: 'domain-is-pure',
      comment:
        'domain/ is pure logic: it may import contracts and xstate (the return-case machine) only. ' +
        'No projections, services or tests, no node built-ins (no I/O, no clock), no other packages.',
      severity: 'error',
      from: { path: '^domain/', pathNot: SPEC },
      to: { pathNot: ['^(domain|contracts)/', '^node_modules/xstate/'] },
    },
    {
      name: 'projections-below-services',
      comment: 'projections/ may import contracts and domain (and node built-ins), not services, tests or bench.',
      severity: 'error',
      from: { path: '^projections/', pathNot: SPEC },
      to: { path: '^(services|tests|bench)/' },
    },
    {
      name: 'projections-packages',
      comment: 'The only package projections/ needs is better-sqlite3 (its tables).',
      severity: 'error',
      from: { path: '^projections/', pathNot: SPEC },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '^node_modules/(@types/)?better-sqlite3/',
      },
    },
    {
      name: 'services-not-to-tests-or-bench',
      comment: 'services/ may import contracts, domain and projections; never tests or bench.',
      severity: 'error',
      from: { path: '^services/', pathNot: SPEC },
      to: { path: '^(tests|bench)/' },
    },
    {
      name: 'runtime-not-to-dev-deps',
      comment: 'Shipped code must not import devDependencies (vitest, testcontainers, fast-check ...).',
      severity: 'error',
      from: { path: '^(contracts|domain|projections|services)/', pathNot: SPEC },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '^node_modules/@types/' },
    },
    {
      name: 'nothing-imports-tests',
      comment: 'Nothing outside tests/ imports tests/ (spec files and bench may use tests/support).',
      severity: 'error',
      from: { pathNot: ['^tests/', SPEC, '^bench/'] },
      to: { path: '^tests/' },
    },
    {
      name: 'specs-and-bench-use-tests-support-only',
      comment: 'A spec beside its code, or the bench, may import tests/support/** and nothing else under tests/.',
      severity: 'error',
      from: { path: [SPEC, '^bench/'], pathNot: '^tests/' },
      to: { path: '^tests/', pathNot: '^tests/support/' },
    },
    {
      name: 'nothing-imports-specs',
      comment: 'Spec files are entry points for vitest; share helpers through tests/support instead.',
      severity: 'error',
      from: {},
      to: { path: SPEC },
    },
    {
      name: 'no-circular',
      comment: 'Modules must not depend on each other in a cycle.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        "Every import must resolve to a file or an installed package. The UI's vendor/ modules are served from node_modules by services/ui/plugin.ts.",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^\\./vendor/(oauth4webapi|intl-messageformat)\\.js$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(data|coverage|tmp|bench/results)/' },
    // Keep type-only imports (`import type`) in the graph: a layer must not even know
    // the types of a layer above it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
