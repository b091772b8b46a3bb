#!/usr/bin/env node
'use strict';
/**
 * End-to-end check of the harness against a real n8n:
 *   1. pack a throwaway community package shaped like ours (an `n8n` section in package.json,
 *      zod and n8n-workflow as peers, a node and a credential under dist/) and install it the
 *      way n8n's Community Nodes installer does;
 *   2. import a credential and a workflow (built-in Webhook node, POST, fixed webhookId/path,
 *      followed by the dummy community node), publish it, start n8n;
 *   3. check the dummy node type is loaded, wait for the webhook's registration, POST once,
 *      and read back exactly one successful execution with each node's output.
 *
 * Usage: node scripts/n8n/smoke.js [--port 5690] [--keep]
 *   --keep  leave the user folder in place (it is printed) instead of deleting it.
 * require('./smoke').packDummy() packs the dummy package alone (-> tarball path).
 * Exits non-zero on failure and prints the n8n log's tail.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createInstance, log } = require('./harness');

const args = process.argv.slice(2);
const port = Number(args.includes('--port') ? args[args.indexOf('--port') + 1] : 5690);
const keep = args.includes('--keep');

const DUMMY = 'n8n-nodes-harness-dummy';
const CREDENTIAL_ID = 'SmokeCredential1';
const WORKFLOW_ID = 'SmokeWorkflow001';
const WEBHOOK_ID = '0b4c7f5e-5d8e-4e39-9a57-3f6d2c1a9e01';
const WEBHOOK_PATH = 'harness-smoke';

/** Write the dummy package's files into a temp dir and `npm pack` it there. */
async function packDummy() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-caller-dummy-'));
	const write = (file, text) => {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), text);
	};
	write(
		'package.json',
		JSON.stringify(
			{
				name: DUMMY,
				version: '0.0.1',
				license: 'MIT',
				keywords: ['n8n-community-node-package'],
				files: ['dist'],
				n8n: {
					n8nNodesApiVersion: 1,
					strict: true,
					credentials: ['dist/credentials/HarnessDummyApi.credentials.js'],
					nodes: ['dist/nodes/HarnessDummy/HarnessDummy.node.js'],
				},
				// Like ours: peers that n8n's installer strips, to be found on n8n's NODE_PATH.
				peerDependencies: { 'n8n-workflow': '*', zod: '^3.24.1' },
				devDependencies: { typescript: '5.9.3' },
			},
			null,
			2,
		),
	);
	write(
		'dist/credentials/HarnessDummyApi.credentials.js',
		`'use strict';
class HarnessDummyApi {
	constructor() {
		this.name = 'harnessDummyApi';
		this.displayName = 'Harness Dummy API';
		this.properties = [
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
		];
	}
}
module.exports = { HarnessDummyApi };
`,
	);
	write(
		'dist/nodes/HarnessDummy/HarnessDummy.node.js',
		`'use strict';
// Resolved at run time from n8n's own node_modules (NODE_PATH), not from this package.
const { z } = require('zod');
const { NodeConnectionTypes } = require('n8n-workflow');
class HarnessDummy {
	constructor() {
		this.description = {
			displayName: 'Harness Dummy',
			name: 'harnessDummy',
			group: ['transform'],
			version: 1,
			description: 'Test node of the n8n harness',
			defaults: { name: 'Harness Dummy' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'harnessDummyApi', required: true }],
			properties: [],
		};
	}
	async execute() {
		const credentials = await this.getCredentials('harnessDummyApi');
		const body = z.object({ hello: z.string() }).parse(this.getInputData()[0].json.body);
		return [[{ json: { hello: body.hello, token: credentials.token, zod: require.resolve('zod'), n8nWorkflow: require.resolve('n8n-workflow') } }]];
	}
}
module.exports = { HarnessDummy };
`,
	);
	const { execFileSync } = require('node:child_process');
	execFileSync('npm', ['pack', '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
	return path.join(dir, `${DUMMY}-0.0.1.tgz`);
}

function smokeWorkflow() {
	return {
		id: WORKFLOW_ID,
		name: 'Harness smoke',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { Webhook: { main: [[{ node: 'Harness Dummy', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: '5a0c8f3e-1111-4c1e-8f00-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, options: {} },
			},
			{
				id: '5a0c8f3e-1111-4c1e-8f00-000000000002',
				name: 'Harness Dummy',
				type: `${DUMMY}.harnessDummy`,
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
				credentials: { harnessDummyApi: { id: CREDENTIAL_ID, name: 'Smoke credential' } },
			},
		],
	};
}

async function waitFor(what, probe, timeoutMs = 30000) {
	const started = Date.now();
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

async function main() {
	const started = Date.now();
	const tarball = await packDummy();
	const n8n = await createInstance({ port });
	let ok = false;
	try {
		const installed = await n8n.installPackage(tarball);
		assert.ok(
			!fs.existsSync(path.join(installed.dir, 'node_modules', 'zod')),
			'zod must not be installed with the package',
		);

		await n8n.importCredentials([
			{
				id: CREDENTIAL_ID,
				name: 'Smoke credential',
				type: 'harnessDummyApi',
				data: { token: 's3cret' },
			},
		]);
		await n8n.importWorkflow(smokeWorkflow());
		await n8n.publishWorkflow(WORKFLOW_ID);
		await n8n.start();

		// The built-in Webhook node uses the full path; community triggers get /webhook/<webhookId>/<path>.
		const url = `${n8n.baseUrl}/webhook/${WEBHOOK_PATH}`;
		await n8n.waitForWebhook(url, { method: 'POST' });

		await n8n.setupOwner();
		const types = await n8n.nodeTypes();
		assert.ok(
			types.includes(`${DUMMY}.harnessDummy`),
			`${DUMMY}.harnessDummy not among n8n's ${types.length} node types`,
		);
		log(`community node type ${DUMMY}.harnessDummy is loaded`);
		assert.deepEqual(
			await n8n.listExecutions(WORKFLOW_ID),
			[],
			'probing the webhook must not run the workflow',
		);

		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ hello: 'world' }),
		});
		assert.equal(response.status, 200, `POST ${url}: ${response.status} ${await response.text()}`);

		const executions = await waitFor('a finished execution', async () => {
			const list = await n8n.listExecutions(WORKFLOW_ID);
			return (
				list.length > 0 && list.every((e) => e.status !== 'running' && e.status !== 'new') && list
			);
		});
		assert.equal(
			executions.length,
			1,
			`expected exactly one execution, got ${JSON.stringify(executions)}`,
		);
		const execution = await n8n.getExecution(executions[0].id);
		assert.equal(execution.status, 'success', `execution status ${execution.status}`);
		assert.equal(execution.mode, 'webhook');
		assert.equal(execution.nodes.Webhook[0].body.hello, 'world');
		const dummy = execution.nodes['Harness Dummy'][0];
		assert.equal(dummy.hello, 'world');
		assert.equal(dummy.token, 's3cret', 'the imported credential must reach the node decrypted');
		assert.ok(dummy.zod.startsWith(n8n.paths.nodeModules), `zod resolved to ${dummy.zod}`);
		log(`execution ${execution.id}: ${execution.status}, mode ${execution.mode}`);
		log(`community node resolved zod from ${dummy.zod}`);
		log(`community node resolved n8n-workflow from ${dummy.n8nWorkflow}`);
		ok = true;
	} finally {
		await n8n.stop();
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		if (!ok)
			process.stderr.write(
				`--- n8n log (tail) ---\n${n8n.logs().split('\n').slice(-60).join('\n')}\n`,
			);
		if (keep || !ok) log(`user folder kept: ${n8n.dir}`);
		else fs.rmSync(n8n.dir, { recursive: true, force: true });
	}
	log(`smoke test passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
	main().catch((error) => {
		log(`smoke test FAILED: ${error.stack || error.message}`);
		process.exitCode = 1;
	});
}

module.exports = { packDummy };
