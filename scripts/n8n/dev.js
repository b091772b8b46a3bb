#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run dev`: a real n8n on 127.0.0.1 with this repo's package installed the way n8n's Community
 * Nodes installer does it, a demo credential and a demo workflow (SIP Caller Trigger → No
 * Operation, which shows the item), published and listening. Prints how to log in and the exact
 * command that sends a signed event to it. Ctrl-C stops n8n cleanly.
 *
 * Usage: npm run dev -- [--port 5678] [--fresh] [--package <tarball>] [--fake-api]
 *   --port     n8n's port (the task-runner broker takes port + 1)
 *   --fresh    start from an empty user folder (forget workflows, credentials, owner, secret)
 *   --package  install this tarball instead of packing the repo
 *   --fake-api also start the fake SIP Caller REST API the tests use (scripts/fake-api, 255
 *              campaigns) on 127.0.0.1, with a "SIP Caller API (fake)" credential pointing at it
 *              and a manual workflow "SIP Caller demo: add a number", to try the SIP Caller node's
 *              campaign picker, variables mapper and operations in the editor
 * The user folder is kept between runs in <cache>/dev-user-folder; the package is re-packed and
 * re-installed, and the demo workflow re-imported, at every start so that n8n runs the current code.
 * The demo workflows are examples/dev/*.json; their ids, the trigger's webhook id and the
 * credentials are filled in here.
 */
const fs = require('node:fs');
const path = require('node:path');
const { startFakeSipCallerApi } = require('../fake-api/server');
const { cacheRoot, createInstance, log } = require('./harness');

const repoDir = path.resolve(__dirname, '..', '..');
// The built package (`npm run dev` builds first), typed from its source: a literal '../../dist/...'
// would make `npm run typecheck` depend on a build.
const { generateSigningSecret } = /** @type {typeof import('../../nodes/SipCaller/core')} */ (
	require(path.join(repoDir, 'dist', 'nodes', 'SipCaller', 'core'))
);

const args = process.argv.slice(2);
/** @param {string} name */
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const port = Number(option('--port') || 5678);

const DEMO_CREDENTIAL_ID = 'sipCallerDemoCred';
const DEMO_WORKFLOW_ID = 'sipCallerDemoFlow';
const DEMO_WEBHOOK_ID = 'sip-caller-demo';
const FAKE_API_CREDENTIAL_ID = 'sipCallerDemoApiCred';
const API_WORKFLOW_ID = 'sipCallerDemoApiFlow';

/**
 * @typedef {object} WorkflowFile  a workflow of examples/dev, as n8n exports one without its id
 * @property {string} name
 * @property {Array<{ type: string } & Record<string, unknown>>} nodes
 * @property {Record<string, unknown>} connections
 * @property {Record<string, unknown>} settings
 */

/**
 * examples/dev/<file> ready to import: the workflow id given, and each node of a type that
 * `additions` names given those fields (webhookId, credentials).
 * @param {string} file
 * @param {string} id
 * @param {Record<string, Record<string, unknown>>} additions  node type -> fields to add
 */
function devWorkflow(file, id, additions) {
	/** @type {WorkflowFile} */
	const workflow = JSON.parse(fs.readFileSync(path.join(repoDir, 'examples', 'dev', file), 'utf8'));
	return {
		id,
		active: false,
		...workflow,
		nodes: workflow.nodes.map((node) => ({ ...node, ...additions[node.type] })),
	};
}

function apiDemoWorkflow() {
	return devWorkflow('add-a-number.json', API_WORKFLOW_ID, {
		'n8n-nodes-sip-caller.sipCaller': {
			credentials: {
				sipCallerApi: { id: FAKE_API_CREDENTIAL_ID, name: 'SIP Caller API (fake)' },
			},
		},
	});
}

/**
 * The demo secret is generated once per user folder, so a pasted send command keeps working.
 * @param {string} dir
 */
function demoSecret(dir) {
	const file = path.join(dir, 'demo-signing-secret.txt');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(file, `${generateSigningSecret()}\n`, { mode: 0o600 });
	}
	return fs.readFileSync(file, 'utf8').trim();
}

function demoWorkflow() {
	return devWorkflow('every-event.json', DEMO_WORKFLOW_ID, {
		'n8n-nodes-sip-caller.sipCallerTrigger': {
			webhookId: DEMO_WEBHOOK_ID,
			credentials: {
				sipCallerWebhookApi: { id: DEMO_CREDENTIAL_ID, name: 'SIP Caller Webhook API (demo)' },
			},
		},
	});
}

async function main() {
	const dir = path.join(cacheRoot(), 'dev-user-folder');
	if (args.includes('--fresh')) fs.rmSync(dir, { recursive: true, force: true });
	const secret = demoSecret(dir);

	const fakeApi = args.includes('--fake-api') ? await startFakeSipCallerApi() : undefined;
	const n8n = await createInstance({ port, dir });
	const tarball = option('--package');
	await n8n.installPackage(tarball ? path.resolve(tarball) : repoDir);
	if (fakeApi) {
		await n8n.importCredentials([
			{
				id: FAKE_API_CREDENTIAL_ID,
				name: 'SIP Caller API (fake)',
				type: 'sipCallerApi',
				data: { accountId: fakeApi.accountId, apiKey: fakeApi.apiKey, baseUrl: fakeApi.baseUrl },
			},
		]);
		await n8n.importWorkflow(apiDemoWorkflow());
	}
	await n8n.importCredentials([
		{
			id: DEMO_CREDENTIAL_ID,
			name: 'SIP Caller Webhook API (demo)',
			type: 'sipCallerWebhookApi',
			data: { signingSecret: secret, previousSigningSecret: '' },
		},
	]);
	await n8n.importWorkflow(demoWorkflow());
	await n8n.publishWorkflow(DEMO_WORKFLOW_ID);
	await n8n.start();
	const owner = await n8n.setupOwner();
	const webhookUrl = `${n8n.baseUrl}/webhook/${DEMO_WEBHOOK_ID}/webhook`;
	await n8n.waitForWebhook(webhookUrl);

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await n8n.stop();
		await fakeApi?.close();
		process.exit(0);
	};
	// Ctrl-C reaches n8n too (same process group); wait for it to finish shutting down.
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	process.stdout.write(
		[
			'',
			`n8n is running:       ${n8n.baseUrl}`,
			`log in with:          ${owner.email} / ${owner.password}`,
			`demo workflow:        ${n8n.baseUrl}/workflow/${DEMO_WORKFLOW_ID} (executions tab shows each event)`,
			`production webhook:   ${webhookUrl}`,
			`signing secret:       ${secret}`,
			'',
			'send a signed event (in another terminal, from this folder):',
			`  npm run send -- CallEnded --url ${webhookUrl} --secret ${secret}`,
			'or, from anywhere, the same sender as a package:',
			`  npx ${path.join(__dirname, '..', '..', 'tools', 'sip-caller-send')} CallEnded --url ${webhookUrl} --secret ${secret}`,
			'',
			...(fakeApi
				? [
						`fake SIP Caller API:  ${fakeApi.baseUrl} (255 campaigns; "Collections (dynamic)" is active and dynamic)`,
						`SIP Caller node demo: ${n8n.baseUrl}/workflow/${API_WORKFLOW_ID} (pick a campaign, map its variables, Execute)`,
						'',
					]
				: []),
			`user folder:          ${n8n.dir} (n8n's log: ${path.join(n8n.dir, 'n8n.log')})`,
			'Ctrl-C stops n8n.',
			'',
		].join('\n'),
	);
	const { code, signal } = await n8n.waitForExit();
	if (!stopping) {
		log(`n8n exited by itself (${signal || code}); see ${path.join(n8n.dir, 'n8n.log')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	log(`dev failed: ${error.stack || error.message}`);
	process.exit(1);
});
