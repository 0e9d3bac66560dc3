// ESLint for the whole tree, run by `npm test` (`npm run lint`) before tap. Formatting is not its
// business: only rules that find bugs or misleading code.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/cdk.out/**', 'var/**', '**/*.d.ts', '**/*.d.mts'],
  },
  js.configs.recommended,
  {
    // `let x; ... () => x ...; x = build()` is how a closure reads a value built after it.
    rules: { 'prefer-const': ['error', { ignoreReadBeforeAssign: true }] },
  },
  {
    // The TypeScript sources and tests: one type-aware program, the same one `npm run typecheck` checks.
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection ends the process).
      // tap's `t.test()` promise is the exception: it never rejects (tap reports a subtest's
      // failures itself) and tap waits for every subtest, so the idiomatic unawaited call is safe.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafePromises: [{ from: 'package', name: 'PromiseWithSubtest', package: '@tapjs/core' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // Only Error objects are thrown, so every catch can read `.message`, `.code` and a stack.
      '@typescript-eslint/only-throw-error': 'error',
      // `async` without `await` is deliberate here: it implements a promise-returning interface
      // (the in-memory stores, the sources) and turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a parameter an interface requires but this implementation ignores.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Rejecting with what a catch received passes it on, as only-throw-error allows for a throw.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Control characters in patterns are the point where this tree uses them: escaping file names,
      // trimming syslog frames, reading terminal output.
      'no-control-regex': 'off',
    },
  },
  {
    // The variable tables infer each setting's type from its default: `default: 'auto' as UdpIoMode`
    // widens a literal to the setting's type, which the rule takes for an unnecessary assertion
    // (removing it breaks the typecheck).
    files: ['packages/config/src/common.ts', 'services/*/src/config.ts'],
    rules: { '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    // Tests read JSON they have just parsed and poke into it; the assertions check its shape, so
    // typing every answer would add noise, not safety. Source files keep these rules.
    files: ['**/test/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Plain ES modules (scripts, benchmarks): not in a TypeScript program, so no type-aware rules.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
  },
);
