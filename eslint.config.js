// ESLint: the recommended rules of ESLint, typescript-eslint and eslint-plugin-astro, plus the type-aware
// rules that catch real bugs in a server: promises nobody awaits, and awaiting what is not a promise.
import js from '@eslint/js';
import astro from 'eslint-plugin-astro';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		ignores: [
			'dist/',
			'dist.next/',
			'dist.old/',
			'private/',
			'.astro/',
			'.cache/',
			'.tmp/',
			'data/',
			'test/fixtures/**/dist/',
		],
	},
	js.configs.recommended,
	...tseslint.configs.recommended,
	...astro.configs.recommended,
	{ languageOptions: { globals: globals.node } },
	// The console's passkey script runs in the browser.
	{ files: ['src/gate/routes/console/assets/*.js'], languageOptions: { globals: globals.browser } },
	{
		files: ['**/*.ts'],
		languageOptions: {
			parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error',
		},
	},
	{
		rules: {
			// `Props` types an Astro component's props without being referenced; `_name` marks a deliberate unused.
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^(_|Props$)', caughtErrors: 'none' },
			],
		},
	},
	// TypeScript (astro check) already knows Astro's global types, such as astroHTML.
	{ files: ['**/*.astro'], rules: { 'no-undef': 'off' } },
);
