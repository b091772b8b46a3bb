#!/usr/bin/env node
'use strict';
/**
 * `npm run dev`: a real n8n on 127.0.0.1 with this repo's package installed the way n8n's Community
 * Nodes installer does it, a demo credential and a demo workflow (SIP Caller Trigger → No
 * Operation, which shows the item), published and listening. Prints how to log in and the exact
 * command that sends a signed event to it. Ctrl-C stops n8n cleanly.
 *
 * Usage: npm run dev -- [--port 5678] [--fresh] [--package <tarball>]
 *   --port     n8n's port (the task-runner broker takes port + 1)
 *   --fresh    start from an empty user folder (forget workflows, credentials, owner, secret)
 *   --package  install this tarball instead of packing the repo
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

	const n8n = await createInstance({ port, dir });
	await n8n.installPackage(option('--package') ? path.resolve(option('--package')) : repoDir);
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
