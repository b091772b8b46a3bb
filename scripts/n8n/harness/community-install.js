// @ts-check
'use strict';
/** Packing a package, and installing it into an n8n user folder as n8n's Community Nodes installer does. */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { log } = require('./config');
const { npmCliPath, npm24 } = require('./npm');
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
		await npm24(paths, target, ['install', ...flags]);
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

module.exports = { packRepo, installTarball };
