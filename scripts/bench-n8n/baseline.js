// @ts-check
'use strict';
/**
 * --baseline <git-ref>: the package as it was at that commit, built and packed so that it installs
 * into the same n8n beside the current one. Its files come from `git archive` (the repository's
 * index, work tree and worktrees are left alone), its build is that commit's own `npm run build`
 * with this checkout's node_modules linked in, and then it is renamed:
 *   - package.json `name` → n8n-nodes-sip-caller-baseline: n8n names a community node type
 *     <package>.<node>, so its trigger is n8n-nodes-sip-caller-baseline.sipCallerTrigger;
 *   - the credential types (their names are global in n8n: two packages declaring the same one
 *     collide) sipCallerWebhookApi → sipCallerWebhookApiBaseline and sipCallerApi →
 *     sipCallerApiBaseline, wherever the built JavaScript names them (the credential classes'
 *     `name`, the nodes' `credentials`, getCredentials(), node.credentials?.<type>);
 *   - the codex files' "node" (n8n-nodes-sip-caller.<node>) to the new package name.
 * Then `npm pack --ignore-scripts` (its prepack would rebuild it over the renaming).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { log } = require('../n8n/harness/config');
const { npmCliPath } = require('../n8n/harness/npm');
const { run } = require('../n8n/harness/process');

const BASELINE_SUFFIX = '-baseline';
/** The credential types the package declares, and their names in the baseline package. */
const CREDENTIAL_RENAMES = /** @type {const} */ ([
	['sipCallerWebhookApi', 'sipCallerWebhookApiBaseline'],
	['sipCallerApi', 'sipCallerApiBaseline'],
]);

/**
 * @typedef {object} Baseline
 * @property {string} ref      as given
 * @property {string} commit   the full commit id
 * @property {string} short    its abbreviation
 * @property {string} name     the renamed package's name
 * @property {string} tarball  the packed package
 * @property {string} dir      the temp folder holding it all (remove it when done)
 */

/** Every file under dir whose name ends with one of the suffixes. @param {string} dir @param {string[]} suffixes @returns {string[]} */
function filesUnder(dir, suffixes) {
	return fs
		.readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.map((name) => path.join(dir, name))
		.filter((file) => suffixes.some((s) => file.endsWith(s)) && fs.statSync(file).isFile());
}

/**
 * Renames the built package (see the header). Throws when a credential type was not found where
 * it must be (a baseline laid out differently would otherwise collide with the current package).
 * @param {string} root @param {string} oldName @param {string} newName
 */
function rename(root, oldName, newName) {
	const packagePath = path.join(root, 'package.json');
	const packageJson = JSON.parse(fs.readFileSync(packagePath, 'utf8'));
	packageJson.name = newName;
	packageJson.description = `${oldName} as of the bench's --baseline (renamed to install beside it)`;
	fs.writeFileSync(packagePath, `${JSON.stringify(packageJson, null, '\t')}\n`);

	const dist = path.join(root, 'dist');
	/** @type {Record<string, number>} */
	const renamed = Object.fromEntries(CREDENTIAL_RENAMES.map(([from]) => [from, 0]));
	for (const file of filesUnder(dist, ['.js'])) {
		let text = fs.readFileSync(file, 'utf8');
		for (const [from, to] of CREDENTIAL_RENAMES) {
			// \b on both sides: sipCallerApiRequest (a function) and sipCallerWebhookApi stay apart.
			text = text.replace(new RegExp(`\\b${from}\\b`, 'g'), () => {
				renamed[from]++;
				return to;
			});
		}
		fs.writeFileSync(file, text);
	}
	for (const file of filesUnder(dist, ['.node.json'])) {
		const text = fs.readFileSync(file, 'utf8');
		fs.writeFileSync(file, text.split(`"${oldName}.`).join(`"${newName}.`));
	}
	// Each credential class must now declare the new name.
	for (const [from, to] of CREDENTIAL_RENAMES) {
		const declared = filesUnder(path.join(dist, 'credentials'), ['.credentials.js']).some((file) =>
			fs.readFileSync(file, 'utf8').includes(`name = '${to}'`),
		);
		if (!declared || !renamed[from])
			throw new Error(`baseline: no credential class declares ${from} in ${dist}/credentials`);
	}
	log(
		`baseline renamed to ${newName}; credential types ${CREDENTIAL_RENAMES.map(([from, to]) => `${from} → ${to} (${renamed[from]} places)`).join(', ')}`,
	);
}

/**
 * Builds, renames and packs the package at `ref` (see the header).
 * @param {string} repo  the repository (this checkout)
 * @param {string} ref
 * @returns {Promise<Baseline>}
 */
async function packBaseline(repo, ref) {
	const commit = (
		await run('git', ['-C', repo, 'rev-parse', '--verify', `${ref}^{commit}`])
	).trim();
	const short = (await run('git', ['-C', repo, 'rev-parse', '--short', commit])).trim();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-baseline-'));
	try {
		const root = path.join(dir, 'package');
		const packDir = path.join(dir, 'pack');
		fs.mkdirSync(root);
		fs.mkdirSync(packDir);
		log(`baseline: ${ref} = ${short}, building in ${root}`);
		const archive = path.join(dir, 'source.tar');
		await run('git', ['-C', repo, 'archive', '--format=tar', '-o', archive, commit]);
		await run('tar', ['-xf', archive, '-C', root]);
		fs.rmSync(archive);
		// Its build takes its tools (tsc, gulp, rimraf) from this checkout's node_modules.
		fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
		/** @type {{ name: string, scripts?: Record<string, string> }} */
		const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
		if (!packageJson.scripts?.build) throw new Error(`baseline ${short}: no build script`);
		// The machine's npm, as packRepo() uses for the current package; npm_* variables of an outer
		// `npm run bench:n8n` would steer it (npm_package_*, npm_lifecycle_*), so none are passed on.
		const env = Object.fromEntries(
			Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
		);
		await run(process.execPath, [npmCliPath(), 'run', 'build'], { cwd: root, env });
		const name = `${packageJson.name}${BASELINE_SUFFIX}`;
		rename(root, packageJson.name, name);
		fs.unlinkSync(path.join(root, 'node_modules'));
		await run(
			process.execPath,
			[npmCliPath(), 'pack', '--ignore-scripts', '--pack-destination', packDir],
			{ cwd: root, env },
		);
		const tarballs = fs.readdirSync(packDir).filter((file) => file.endsWith('.tgz'));
		if (tarballs.length !== 1)
			throw new Error(`baseline: expected one tarball in ${packDir}, found ${tarballs.length}`);
		fs.rmSync(root, { recursive: true, force: true });
		return { ref, commit, short, name, tarball: path.join(packDir, tarballs[0]), dir };
	} catch (error) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}

module.exports = { packBaseline, CREDENTIAL_RENAMES };
