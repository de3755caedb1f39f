// Lint: typescript-eslint's recommended rules plus the project's import boundary (no deep imports
// across packages; only packages/db may import the generated Prisma client).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'data/**',
      'test-artifacts/**',
      'packages/db/src/generated/**',
      '**/dist/**',
      'packages/demo-site/public/**',
      'dashboard/public/vendor/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@yuqing/*/*'], message: 'Import a package through its name only (its src/index.ts).' },
            { group: ['**/generated/prisma/**'], message: 'Only packages/db touches the generated Prisma client.' },
          ],
        },
      ],
    },
  },
  { files: ['packages/db/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
