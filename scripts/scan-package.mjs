#!/usr/bin/env node
/**
 * Lints the package as n8n's community-package scanner (@n8n/scan-community-package) lints a
 * published tarball: `npm pack`, then every shipped .js file and package.json with the
 * `@n8n/eslint-plugin-community-nodes` recommended rules plus `no-console`, inline eslint
 * comments ignored. Our own `npm run lint` checks the TypeScript sources; this checks what ships,
 * which is where a build step or a stray script (a CLI using `process`, say) would slip in.
 *
 * One finding is known and decided, and only that exact one is let through: zod is declared as a
 * peer dependency (see eslint.config.mjs and README "Install"); the scanner allows only
 * n8n-workflow there. Anything else fails. Run: npm run lint:package
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const KNOWN = [
	{
		file: 'package.json',
		ruleId: '@n8n/community-nodes/valid-peer-dependencies',
		message: /^"zod" is not allowed in "peerDependencies"/,
	},
];

const work = mkdtempSync(join(tmpdir(), 'sip-caller-scan-'));
try {
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: repo,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const [tarball] = readdirSync(work).filter((name) => name.endsWith('.tgz'));
	execFileSync('tar', ['-xzf', tarball], { cwd: work });
	const packageDir = join(work, 'package');

	const eslint = new ESLint({
		cwd: packageDir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: [
			n8nCommunityNodesPlugin.configs.recommended,
			{ rules: { 'no-console': 'error' } },
			{ files: ['**/*.json'], languageOptions: { parser: tseslint.parser } },
		],
	});
	const results = await eslint.lintFiles(['**/*.js', 'package.json']);
	const files = results.length;
	let known = 0;
	for (const result of results) {
		const file = result.filePath.slice(packageDir.length + 1);
		result.messages = result.messages.filter((m) => {
			const isKnown = KNOWN.some(
				(k) => k.file === file && k.ruleId === m.ruleId && k.message.test(m.message),
			);
			if (isKnown) known++;
			return !isKnown;
		});
		result.errorCount = result.messages.filter((m) => m.severity === 2).length;
		result.warningCount = result.messages.filter((m) => m.severity === 1).length;
	}
	const problems = results.filter((r) => r.messages.length > 0);
	if (problems.length > 0) {
		const formatter = await eslint.loadFormatter('stylish');
		process.stdout.write(await formatter.format(problems));
		process.exitCode = 1;
	} else {
		process.stdout.write(
			`package scan: ${files} shipped files clean (${known} known finding: zod as a peer dependency)\n`,
		);
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
