// Flat config: type-checked typescript-eslint rules for the TypeScript sources,
// plain JS rules (no type information) for launchers and config files.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node globals for the plain-JS files (bin launchers, configs); listed here rather than
// pulling in the `globals` package for a handful of names.
const nodeGlobals = {
  console: 'readonly',
  process: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  structuredClone: 'readonly',
};

// Browser globals for the UI shell's static modules (services/ui/public), which run in the
// browser, not in Node. If this list keeps growing, add the `globals` package instead.
const browserGlobals = Object.fromEntries(
  `window document navigator location history sessionStorage localStorage fetch Headers Request Response
   URL URLSearchParams FormData Blob File FileReader atob btoa TextEncoder TextDecoder crypto console
   performance Event CustomEvent EventTarget AbortController AbortSignal DOMParser Node Element HTMLElement
   HTMLInputElement HTMLSelectElement HTMLTextAreaElement HTMLFormElement HTMLButtonElement HTMLTemplateElement
   HTMLDialogElement SVGElement DocumentFragment MutationObserver IntersectionObserver ResizeObserver
   customElements requestAnimationFrame cancelAnimationFrame setTimeout clearTimeout setInterval clearInterval
   queueMicrotask structuredClone getComputedStyle matchMedia alert confirm Intl`
    .split(/\s+/)
    .map((name) => [name, 'readonly']),
);

const unusedVars = [
  'error',
  {
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
    ignoreRestSiblings: true,
  },
];

export default defineConfig(
  {
    ignores: ['node_modules/', 'data/', '.data*/', 'bench/results/', 'coverage/', 'tmp/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      // `import type` is required by verbatimModuleSyntax; keep it consistent.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Template literals with numbers are common in messages and ids; still forbid objects.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Off on purpose: the SQLite adapter implements the async event-store port over
      // synchronous better-sqlite3, and fastify handlers are `async` by convention; `async`
      // without `await` is deliberate there (a throw becomes a rejection, not a sync throw).
      '@typescript-eslint/require-await': 'off',
      // Exhaustive `switch` with a `never` check is the house style (architecture.md).
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    // Specs parse JSON bodies from fastify `inject` and hand-build fixtures: `any` flows
    // in from response.json() and test doubles; the no-unsafe-* family is noise there.
    files: ['**/*.spec.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (bin launchers, eslint.config.js) and CommonJS configs are outside
    // tsconfig: lint them without type information.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: nodeGlobals,
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': unusedVars,
    },
  },
  {
    files: ['services/ui/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: browserGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
);
