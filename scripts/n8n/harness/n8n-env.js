// @ts-check
'use strict';
/** The environment an n8n of the harness runs with. */
const { ENCRYPTION_KEY } = require('./config');

/**
 * n8n's settings for a private instance on 127.0.0.1 that never reaches the internet.
 * Settings an n8n version does not know are ignored by it (1.x ignores some 2.x ones).
 * @param {{ port: number, userFolder: string, paths: import('./paths').N8nPaths }} options
 *   paths: the n8n that runs (its major version and its node)
 * @returns {Record<string, string>}
 */
function n8nEnv({ port, userFolder, paths }) {
	const baseUrl = `http://127.0.0.1:${port}/`;
	/** @type {Record<string, string>} */
	const env = {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: baseUrl,
		// 2.41.1 takes N8N_WEBHOOK_URL (WEBHOOK_URL still works but logs a deprecation).
		N8N_WEBHOOK_URL: baseUrl,
		// The task-runner broker listens on 5679 by default: keep instances from colliding.
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Plain http on loopback: a Secure cookie would not be sent back by some browsers.
		N8N_SECURE_COOKIE: 'false',
		// Community packages: loading is on by default; say so explicitly, and allow
		// unverified ones (2.41.1 warns that this default will change).
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// Telemetry, update checks, templates, banners, surveys: they call n8n's servers on the
		// internet (or nag in the editor). None is needed here.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// mcp-registry polls a registry on the internet at start-up.
		N8N_DISABLED_MODULES: 'mcp-registry',
		// Keep every execution so that tests can read them back.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		// A caller's NODE_ENV (jest sets `test`) would switch n8n into its own test mode.
		NODE_ENV: 'production',
	};
	return paths.major >= 2 ? env : forN8n1(env, paths);
}

/**
 * The settings adapted to n8n 1.x. Its default expression engine runs in isolated-vm 6, which
 * needs Node >= 22: on Node 20, n8n 1.123.x starts only with the legacy engine. It has no
 * mcp-registry module, and refuses to start when N8N_DISABLED_MODULES names a module it does not
 * know ("Unknown module"). Other 2.x settings it does not know it ignores.
 * @param {Record<string, string>} env
 * @param {import('./paths').N8nPaths} paths
 * @returns {Record<string, string>}
 */
function forN8n1(env, paths) {
	const { N8N_DISABLED_MODULES, ...rest } = env;
	const nodeMajor = Number(paths.node.version.split('.')[0]);
	return nodeMajor < 22 ? { ...rest, N8N_EXPRESSION_ENGINE: 'legacy' } : rest;
}

module.exports = { n8nEnv };
