// Lint: typescript-eslint everywhere, n8n's community-node rules on what ships to n8n (nodes/,
// credentials/, package.json). Tests and scripts are dev-only code that never runs inside n8n, so
// the rules about what a node may import or touch (fs, process, ...) do not apply to them.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

const community = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'eslint.config.mjs'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['test/**/*.ts'],
		rules: {
			// tests build deliberately malformed events
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
	{
		files: ['**/*.js'],
		languageOptions: {
			sourceType: 'commonjs',
			globals: {
				require: 'readonly',
				module: 'writable',
				process: 'readonly',
				console: 'readonly',
				__dirname: 'readonly',
				Buffer: 'readonly',
				setTimeout: 'readonly',
				clearTimeout: 'readonly',
				URL: 'readonly',
				fetch: 'readonly',
			},
		},
	},
	{
		// The tooling (n8n harness, dev command, fake SIP Caller API, bench): CommonJS that plain Node
		// runs without a build, type-checked by tsc from its JSDoc (tsconfig.json: checkJs), linted
		// with the TypeScript's rules. require() is how CommonJS imports; `const { a, ...rest } = x`
		// is how it drops keys.
		files: ['scripts/**/*.js'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		plugins: community.plugins,
		rules: community.rules,
	},
	{
		// The core's promise: it is also a plain Node library, so no n8n import and nothing from
		// outside its folder (zod and Node's built-ins only).
		files: ['nodes/SipCaller/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['n8n-workflow', 'n8n-workflow/*', 'n8n-core', 'n8n-core/*', '@n8n/*'],
							message: 'The core has no n8n import: it is also a plain Node library.',
						},
						{
							group: ['../*', '../**'],
							message: 'The core imports nothing from outside nodes/SipCaller/core.',
						},
					],
				},
			],
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
);
