#!/usr/bin/env node
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
 *   --fake-api also start the test suite's fake SIP Caller REST API (test/fake-api, 255 campaigns)
 *              on 127.0.0.1, with a "SIP Caller API (fake)" credential pointing at it and a
 *              manual workflow "SIP Caller demo: add a number", to try the SIP Caller node's
 *              campaign picker, variables mapper and operations in the editor
 * The user folder is kept between runs in <cache>/dev-user-folder; the package is re-packed and
 * re-installed, and the demo workflow re-imported, at every start so that n8n runs the current code.
 */
const fs = require('node:fs');
const path = require('node:path');
const { cacheRoot, createInstance, log } = require('./harness');
const { generateSigningSecret } = require('../../dist/nodes/SipCaller/core');

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const port = Number(option('--port') || 5678);
const repoDir = path.resolve(__dirname, '..', '..');

const DEMO_CREDENTIAL_ID = 'sipCallerDemoCred';
const DEMO_WORKFLOW_ID = 'sipCallerDemoFlow';
const DEMO_WEBHOOK_ID = 'sip-caller-demo';
const FAKE_API_CREDENTIAL_ID = 'sipCallerDemoApiCred';
const API_WORKFLOW_ID = 'sipCallerDemoApiFlow';

/**
 * The fake API is TypeScript written for the tests; transpiled here (no type check, no extra
 * dependency: typescript is a dev dependency) into the cache and loaded.
 */
async function startFakeApi() {
	const ts = require('typescript');
	const out = path.join(cacheRoot(), 'fake-api-build');
	fs.mkdirSync(out, { recursive: true });
	for (const name of ['server', 'data']) {
		const source = fs.readFileSync(path.join(repoDir, 'test', 'fake-api', `${name}.ts`), 'utf8');
		const { outputText } = ts.transpileModule(source, {
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2021,
				esModuleInterop: true,
			},
		});
		fs.writeFileSync(path.join(out, `${name}.js`), outputText);
	}
	return require(path.join(out, 'server.js')).startFakeSipCallerApi();
}

function apiDemoWorkflow() {
	const contact = { phone: '+1 (800) 555-0199', name: 'Dana Demo', balance: '$42.00' };
	return {
		id: API_WORKFLOW_ID,
		name: 'SIP Caller demo: add a number',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			'Run It': { main: [[{ node: 'A Contact', type: 'main', index: 0 }]] },
			'A Contact': { main: [[{ node: 'SIP Caller', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: 'sip-caller-demo-manual',
				name: 'Run It',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 300],
				parameters: {},
			},
			{
				id: 'sip-caller-demo-contact',
				name: 'A Contact',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 300],
				parameters: {
					mode: 'raw',
					jsonOutput: JSON.stringify(contact),
					options: {},
				},
			},
			{
				id: 'sip-caller-demo-api',
				name: 'SIP Caller',
				type: 'n8n-nodes-sip-caller.sipCaller',
				typeVersion: 1,
				position: [440, 300],
				parameters: {
					resource: 'campaignNumber',
					operation: 'add',
					campaign: { __rl: true, mode: 'list', value: '' },
					number: '={{ $json.phone }}',
					variableInput: 'map',
				},
				credentials: {
					sipCallerApi: { id: FAKE_API_CREDENTIAL_ID, name: 'SIP Caller API (fake)' },
				},
			},
		],
	};
}

/** The demo secret is generated once per user folder, so a pasted send command keeps working. */
function demoSecret(dir) {
	const file = path.join(dir, 'demo-signing-secret.txt');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(file, `${generateSigningSecret()}\n`, { mode: 0o600 });
	}
	return fs.readFileSync(file, 'utf8').trim();
}

function demoWorkflow() {
	return {
		id: DEMO_WORKFLOW_ID,
		name: 'SIP Caller demo: every event',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			'SIP Caller Trigger': { main: [[{ node: 'Show the event', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: 'sip-caller-demo-trigger',
				name: 'SIP Caller Trigger',
				type: 'n8n-nodes-sip-caller.sipCallerTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: DEMO_WEBHOOK_ID,
				parameters: { events: ['*'] },
				credentials: {
					sipCallerWebhookApi: { id: DEMO_CREDENTIAL_ID, name: 'SIP Caller Webhook (demo)' },
				},
			},
			{
				id: 'sip-caller-demo-show',
				name: 'Show the event',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [280, 0],
				parameters: {},
			},
		],
	};
}

async function main() {
	const dir = path.join(cacheRoot(), 'dev-user-folder');
	if (args.includes('--fresh')) fs.rmSync(dir, { recursive: true, force: true });
	const secret = demoSecret(dir);

	const fakeApi = args.includes('--fake-api') ? await startFakeApi() : undefined;
	const n8n = await createInstance({ port, dir });
	await n8n.installPackage(option('--package') ? path.resolve(option('--package')) : repoDir);
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
			name: 'SIP Caller Webhook (demo)',
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
