#!/usr/bin/env node
/**
 * `npm run lint:package`: n8n's own community-package scanner, @n8n/scan-community-package, run on
 * this package the way n8n runs it on a submission, with nothing let through:
 *   1. the source pass: package.json and nodes/, credentials/ (.ts, .js, .json), the files the
 *      scanner reads from the provenance-attested source checkout;
 *   2. the tarball pass: every shipped .js and the published package.json, from `npm pack`.
 * Its CLI only takes a published package name, so its exported `analyzePackage` is called on the
 * repository and on the packed tarball. It is installed on first use into the harness's cache
 * folder with `--ignore-scripts` (a dependency's preinstall runs `npx only-allow pnpm`, which fails
 * under npm), not as a devDependency, for the same reason.
 * Then what ships is measured: the unpacked package under 400 KB, its declarations under 100 KB,
 * no source maps.
 */
import { execFileSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	renameSync,
	rmSync,
	statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCANNER = '@n8n/scan-community-package@0.32.0';
const MAX_UNPACKED = 400 * 1024;
const MAX_DECLARATIONS = 100 * 1024;

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { ensureTool } = require('./n8n/harness/install');

/** Every file below `dir`, with its size. */
function files(dir) {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => {
			const path = join(entry.parentPath ?? entry.path, entry.name);
			return { path: relative(dir, path), size: statSync(path).size };
		});
}

const scannerDir = await ensureTool(SCANNER, { estimate: '~40 s' });
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
	pathToFileURL(
		join(scannerDir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs'),
	).href
);

const work = mkdtempSync(join(tmpdir(), 'sip-caller-scan-'));
let failed = false;
try {
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: repo,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const [tarball] = readdirSync(work).filter((name) => name.endsWith('.tgz'));
	execFileSync('tar', ['-xzf', tarball], { cwd: work });
	const packageDir = join(work, 'package');

	// n8n's tarball pass lints the .js and package.json; the output schemas (JSON, generated into
	// dist by the build) are linted too, as the scanner's default file set would.
	const passes = [
		['source', await analyzePackage(repo, SOURCE_FILE_PATTERNS)],
		['tarball', await analyzePackage(packageDir, ['**/*.js', 'package.json'])],
		['tarball output schemas', await analyzePackage(packageDir, ['**/__schema__/**/*.json'])],
	];
	for (const [name, result] of passes) {
		if (result.passed) continue;
		failed = true;
		process.stdout.write(`n8n scanner, ${name} pass: ${result.message}\n${result.details ?? ''}\n`);
	}

	const shipped = files(packageDir);
	const total = shipped.reduce((sum, f) => sum + f.size, 0);
	const declarations = shipped
		.filter((f) => f.path.endsWith('.d.ts'))
		.reduce((sum, f) => sum + f.size, 0);
	const maps = shipped.filter((f) => f.path.endsWith('.map'));
	const schemas = shipped.filter((f) => /(^|\/)__schema__\/.*\.json$/.test(f.path)).length;
	const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
	const limits = [
		[total <= MAX_UNPACKED, `unpacked ${kb(total)} (limit ${kb(MAX_UNPACKED)})`],
		[
			declarations <= MAX_DECLARATIONS,
			`declarations ${kb(declarations)} (limit ${kb(MAX_DECLARATIONS)})`,
		],
		[maps.length === 0, `${maps.length} source maps shipped (limit 0)`],
		[schemas > 0, `${schemas} output schemas (__schema__/*.json, at least 1)`],
	];
	for (const [ok, what] of limits) {
		if (!ok) {
			failed = true;
			process.stdout.write(`shipped package: ${what}\n`);
		}
	}
	if (!failed) {
		process.stdout.write(
			`package scan (${SCANNER}): source and tarball passes clean, nothing let through; ` +
				`${shipped.length} files shipped, ${limits.map(([, what]) => what).join(', ')}\n`,
		);
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
