// ESLint flat config. TypeScript files (everything tsconfig.json includes: src, test, fakes, bench,
// vitest.config.ts) are linted with type information through the project service; plain .js/.mjs
// config and script files are linted without it. eslint-config-prettier comes last so that no
// stylistic rule fights Prettier.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The Node globals the plain-JS files may use (the TypeScript files get theirs from @types/node).
const nodeGlobals = Object.fromEntries(
	['console', 'process', 'URL', 'URLSearchParams', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'structuredClone'].map(
		(name) => [name, 'readonly'],
	),
);

export default defineConfig(
	globalIgnores(['dist/', 'node_modules/', 'test/fixtures/', 'coverage/', 'bench/results/', 'scratch/', 'data/']),

	js.configs.recommended,
	tseslint.configs.recommendedTypeChecked,
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
			'no-console': 'error',
			'@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
			// An AbortSignal's reason is `unknown` by type and is rethrown as it came.
			'@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
		},
	},

	// Test doubles implement promise-returning interfaces with `async` bodies that need no await.
	{
		files: ['test/**', 'fakes/**'],
		rules: {
			'@typescript-eslint/require-await': 'off',
		},
	},

	// Benchmarks and build scripts report to the terminal.
	{
		files: ['bench/**', 'scripts/**'],
		rules: {
			'no-console': 'off',
		},
	},

	// Plain JavaScript (this file, scripts/*.mjs, the playground's page): not part of tsconfig.json, so no type information.
	{
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		extends: [tseslint.configs.disableTypeChecked],
		languageOptions: {
			globals: nodeGlobals,
		},
	},
	// The playground's page: plain browser modules served as they are (no build step).
	{
		files: ['playground/public/**/*.js'],
		languageOptions: {
			globals: Object.fromEntries(
				[
					'window',
					'document',
					'fetch',
					'EventSource',
					'localStorage',
					'File',
					'FormData',
					'Option',
					'innerWidth',
					'innerHeight',
					'queueMicrotask',
				].map((name) => [name, 'readonly']),
			),
		},
	},
	{
		files: ['**/*.cjs'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
		},
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
		},
	},

	prettier,
);
