// @ts-check
'use strict';
/**
 * Packing a package, and installing it into an n8n user folder as n8n's Community Nodes installer
 * does, or by hand as the README's manual install says.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { log } = require('./config');
const { npmCliPath, n8nNpm } = require('./npm');
const { run } = require('./process');

/**
 * A community package installed into a user folder.
 * @typedef {object} InstalledPackage
 * @property {string} name
 * @property {string} version
 * @property {string} dir  <userFolder>/.n8n/nodes/node_modules/<name>
 */

/**
 * `npm pack` the repo into a fresh temp dir (the repo's prepack script builds it first).
 * @param {string} repoDir
 * @returns {Promise<string>} the tarball's path
 */
async function packRepo(repoDir) {
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-pack-'));
	log(`packing ${repoDir} (runs its prepack build) into ${dest}`);
	// The repo's own toolchain (the machine's node and npm) builds and packs it.
	await run(process.execPath, [npmCliPath(), 'pack', '--pack-destination', dest], { cwd: repoDir });
	// Not parsing npm's stdout: the prepack build prints there too.
	const tarballs = fs.readdirSync(dest).filter((name) => name.endsWith('.tgz'));
	if (tarballs.length !== 1)
		throw new Error(`expected one tarball in ${dest}, found ${tarballs.join(', ') || 'none'}`);
	return path.join(dest, tarballs[0]);
}

/**
 * Install a packed community package into an n8n user folder the way n8n 2.41.1's
 * CommunityPackagesService.downloadPackage does after `npm pack <name>@<version>`:
 * extract into <userFolder>/.n8n/nodes/node_modules/<name>, drop devDependencies,
 * peerDependencies and optionalDependencies from that copy's package.json, run
 * `npm install --install-strategy=shallow --ignore-scripts=true --package-lock=false ...`
 * in it, and record it in the ledger <userFolder>/.n8n/nodes/package.json.
 * At start-up n8n loads every <nodes>/node_modules/n8n-nodes-* folder it finds.
 * @param {import('./paths').N8nPaths} paths
 * @param {string} userFolder
 * @param {string} tarball
 * @returns {Promise<InstalledPackage>}
 */
async function installTarball(paths, userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-unpack-'));
	try {
		await run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
		const packageJsonPath = path.join(staging, 'package.json');
		/** @type {{ name: string, version: string, [key: string]: unknown }} */
		const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
			fs.readFileSync(packageJsonPath, 'utf8'),
		);
		fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));
		const target = path.join(nodesDir, 'node_modules', packageJson.name);
		log(`installing ${packageJson.name}@${packageJson.version} into ${target}`);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.cpSync(staging, target, { recursive: true });
		fs.chmodSync(target, 0o755); // the staging folder was private (mkdtemp); n8n's is not
		// Same flags as n8n's installer: the package's own dependencies, nested in its folder;
		// zod and n8n-workflow are peers (removed above) and come from n8n's NODE_PATH at run time.
		const flags = [
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		];
		await n8nNpm(paths, target, ['install', ...flags]);
		updateLedger(nodesDir, packageJson.name, packageJson.version);
		return { name: packageJson.name, version: packageJson.version, dir: target };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/**
 * n8n keeps this package.json as its list of installed packages (rebuilt from its
 * installed_packages table when missing); keep it in step as n8n's installer does.
 * @param {string} nodesDir
 * @param {string} name
 * @param {string} version
 */
function updateLedger(nodesDir, name, version) {
	const ledgerPath = path.join(nodesDir, 'package.json');
	/** @type {{ dependencies: Record<string, string>, [key: string]: unknown }} */
	let ledger = { name: 'installed-nodes', private: true, dependencies: {} };
	if (fs.existsSync(ledgerPath)) {
		const existing = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
		if (existing && existing.dependencies) ledger = existing;
	}
	ledger.dependencies[name] = version;
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2));
}

/**
 * A community package installed by hand into a user folder.
 * @typedef {InstalledPackage & { nodesDir: string, output: string }} ManuallyInstalledPackage
 *   nodesDir: <userFolder>/.n8n/nodes, where npm ran; output: what npm printed
 */

/**
 * Install a packed community package the way the README's manual install does: from a shell, in
 * n8n's user folder `~/.n8n/nodes`, `npm install <package>` (here the tarball), then restart n8n.
 * npm is the machine's npm-cli.js run by the node that runs this n8n (paths.node), with npm's
 * defaults otherwise (no flags: peers are installed unless optional, scripts run, a lock file is
 * written). If the folder has no package.json yet, it gets the one n8n itself would write there
 * (`installed-nodes`, private), so that npm installs into this folder and not into a project
 * found further up. n8n loads every <nodes>/node_modules/n8n-nodes-* at its next start.
 * @param {import('./paths').N8nPaths} paths
 * @param {string} userFolder
 * @param {string} tarball
 * @returns {Promise<ManuallyInstalledPackage>}
 */
async function installManually(paths, userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const ledgerPath = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(ledgerPath)) {
		const packageJson = { name: 'installed-nodes', private: true, dependencies: {} };
		fs.writeFileSync(ledgerPath, JSON.stringify(packageJson, null, 2));
	}
	log(`npm install ${path.basename(tarball)} in ${nodesDir} (the README's manual install)`);
	const output = await n8nNpm(paths, nodesDir, ['install', tarball]);
	// The name and version npm recorded (the tarball's file name does not tell the scope).
	/** @type {{ dependencies?: Record<string, string> }} */
	const ledger = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
	const name = Object.keys(ledger.dependencies || {}).find((dep) =>
		String((ledger.dependencies || {})[dep]).includes(path.basename(tarball)),
	);
	if (!name) throw new Error(`npm did not record ${path.basename(tarball)} in ${ledgerPath}`);
	const dir = path.join(nodesDir, 'node_modules', name);
	/** @type {{ version: string }} */
	const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	return { name, version, dir, nodesDir, output };
}

module.exports = { packRepo, installTarball, installManually };
