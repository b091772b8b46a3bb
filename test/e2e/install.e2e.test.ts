/**
 * The README's manual install in a real n8n (the version the suite runs, 2.x by default, 1.x with
 * SIP_CALLER_N8N_VERSION): "From a shell, in n8n's user folder (`~/.n8n/nodes`): `npm install
 * n8n-nodes-sip-caller`, then restart n8n." The packed package is installed with plain
 * `npm install <tarball>`, by the npm and node that run that n8n, into the user folder of an n8n
 * that has already run once; then n8n is started again. npm must bring the package alone: zod and
 * n8n-workflow have to come from the n8n that loads it, and a signed event (which zod parses)
 * running a workflow proves they did.
 */
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { dirname, join, posix, relative } from 'path';
import type { INodeType } from 'n8n-workflow';
import { signPayload } from '../../nodes/SipCaller/core';
import { fixtureBytes, fixtureJson } from '../helpers/fixtures';
import { freePortPair, harness, REPO_DIR, type N8nInstance } from './harness';
import { startSink, type Sink } from './sink';
import { credentials, CURRENT_SECRET, e2eWorkflows } from './workflows';

const PACKAGE = 'n8n-nodes-sip-caller';
/** What the package uses and must take from n8n, never from a copy npm installed beside it. */
const FROM_N8N = ['zod', 'n8n-workflow'];

let n8n: N8nInstance;
let paths: Awaited<ReturnType<typeof harness.ensureN8n>>;
let sink: Sink;
let tarball: string | undefined;
let installed: Awaited<ReturnType<N8nInstance['installPackageManually']>>;
let flow: ReturnType<typeof e2eWorkflows>['all'];
const url = () => `${n8n.baseUrl}/webhook/${flow.webhookId}/webhook`;

/** Every package folder (node_modules/<name> or node_modules/@scope/<name>) below `dir`. */
function installedPackages(dir: string): string[] {
	const found: string[] = [];
	const visit = (nodeModules: string) => {
		for (const entry of readdirSync(nodeModules)) {
			if (entry.startsWith('.')) continue;
			const full = join(nodeModules, entry);
			if (!statSync(full).isDirectory()) continue;
			const packages = entry.startsWith('@')
				? readdirSync(full).map((name) => join(full, name))
				: [full];
			for (const packageDir of packages) {
				found.push(packageDir);
				const nested = join(packageDir, 'node_modules');
				if (statSync(nested, { throwIfNoEntry: false })?.isDirectory()) visit(nested);
			}
		}
	};
	visit(join(dir, 'node_modules'));
	return found;
}

/**
 * The workflow's executions once none is still going: the sink may get the item a moment before
 * n8n records the execution as finished.
 */
async function finishedExecutions(workflowId: string, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await n8n.listExecutions(workflowId);
		const going = executions.filter((e) => ['new', 'running'].includes(e.status));
		if (going.length === 0 || Date.now() > deadline) return executions;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

beforeAll(
	async () => {
		paths = await harness.ensureN8n();
		tarball = await harness.packRepo(REPO_DIR);
		sink = await startSink();
		flow = e2eWorkflows(sink.url).all;
		n8n = await harness.createInstance({ port: await freePortPair() });
		// An n8n that has run before, as the user's has: its user folder set up, owner created.
		await n8n.start();
		await n8n.setupOwner();
		await n8n.stop();
		installed = await n8n.installPackageManually(tarball);
		await n8n.importCredentials(credentials);
		await n8n.importWorkflow(flow.json);
		await n8n.publishWorkflow(flow.id);
		// "then restart n8n"
		await n8n.start();
		await n8n.waitForWebhook(url());
	},
	20 * 60 * 1000,
);

afterAll(async () => {
	await n8n?.stop();
	await sink?.close();
	if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
});

describe(`npm install ${PACKAGE} in ~/.n8n/nodes, then restart n8n`, () => {
	it('installs the package alone: no zod and no n8n-workflow anywhere under node_modules', () => {
		expect(installed).toMatchObject({
			name: PACKAGE,
			dir: join(n8n.dir, '.n8n', 'nodes', 'node_modules', PACKAGE),
		});
		const packages = installedPackages(installed.nodesDir).map((dir) =>
			relative(installed.nodesDir, dir),
		);
		expect(packages).toEqual([join('node_modules', PACKAGE)]);
		for (const name of FROM_N8N) {
			expect(packages.filter((p) => p.split('/').includes(name))).toEqual([]);
		}
	});

	it('n8n lists both node types of the package', async () => {
		expect(await n8n.nodeTypes()).toEqual(
			expect.arrayContaining([`${PACKAGE}.sipCallerTrigger`, `${PACKAGE}.sipCaller`]),
		);
	});

	it("a signed CallEnded is answered 200 and runs the workflow once (parsed with n8n's zod)", async () => {
		const body = fixtureBytes('CallEnded');
		const response = await fetch(url(), {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'sip-caller-signature': signPayload(body, CURRENT_SECRET, Math.floor(Date.now() / 1000)),
			},
			body,
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			received: true,
			eventId: fixtureJson('CallEnded').id,
			eventType: 'CallEnded',
		});
		expect(await sink.waitFor(`/${flow.id}`, 1)).toEqual([fixtureJson('CallEnded')]);
		const executions = await finishedExecutions(flow.id);
		expect(executions).toHaveLength(1);
		expect(executions[0]).toMatchObject({ status: 'success', mode: 'webhook' });
	});
});

/**
 * The output schemas (scripts/output-schemas.js) as n8n 2.x finds them in the installed package:
 * the editor fetches `/schemas/<type>/<version>[/<resource>/<operation>].json` (n8n's server,
 * resolveSchema: the exact version only); Instance AI calls n8n-core's loadOutputSchema with a
 * version fallback. Both find a schema by the node's folder and version, not by its type.
 */
describe("output schemas, as n8n's editor and Instance AI find them", () => {
	const n8n2 = () => paths.major >= 2;
	/** Each node type of the package (package.json "n8n.nodes"), with its folder in the package. */
	const nodeTypes = () => {
		const manifest = JSON.parse(readFileSync(join(installed.dir, 'package.json'), 'utf8')) as {
			n8n: { nodes: string[] };
		};
		return manifest.n8n.nodes.map((built) => {
			const source = join(REPO_DIR, built.replace(/^dist\//, '').replace(/\.js$/, ''));
			const module = jest.requireActual(source) as Record<string, new () => INodeType>;
			const { name } = new module[posix.basename(built, '.node.js')]().description;
			return { type: `${PACKAGE}.${name}`, folder: join(installed.dir, posix.dirname(built)) };
		});
	};
	/** `/schemas/...` URL → the installed file n8n should answer with. */
	const served = () =>
		nodeTypes().flatMap(({ type, folder }) => {
			const schemaDir = join(folder, '__schema__');
			return readdirSync(schemaDir, { recursive: true, withFileTypes: true })
				.filter((entry) => entry.isFile())
				.map((entry) => {
					const file = join(entry.parentPath ?? entry.path, entry.name);
					const rest = relative(schemaDir, file).replace(/^v/, '');
					return { url: `/schemas/${type}/${rest}`, file };
				});
		});
	const get = (url: string) => fetch(new URL(url, n8n.baseUrl));

	it('the editor gets each file of the package, e.g. Campaign > Get Many; none for what has no file', async () => {
		if (!n8n2()) return; // n8n 1.x has neither the route nor the files' readers
		const files = served();
		expect(files.map((f) => f.url)).toEqual(
			expect.arrayContaining([
				`/schemas/${PACKAGE}.sipCaller/1.0.0/campaign/getAll.json`,
				`/schemas/${PACKAGE}.sipCaller/1.0.0/campaignNumber/add.json`,
				`/schemas/${PACKAGE}.sipCaller/1.0.0/campaignNumber/getAll.json`,
				`/schemas/${PACKAGE}.sipCallerTrigger/1.0.0.json`,
				`/schemas/${PACKAGE}.sipCallerTrigger/2.0.0.json`,
			]),
		);
		expect(files).toHaveLength(5);
		for (const { url, file } of files) {
			const response = await get(url);
			expect([url, response.status]).toEqual([url, 200]);
			const schema = (await response.json()) as { type: string; properties: object };
			expect(schema).toEqual(JSON.parse(readFileSync(file, 'utf8')));
			// What the editor accepts (it rejects a schema without type and non-empty properties).
			expect(schema.type).toBe('object');
			expect(Object.keys(schema.properties).length).toBeGreaterThan(0);
		}
		for (const url of [
			// The SIP Caller node without resource/operation: not the trigger's v1.0.0.json.
			`/schemas/${PACKAGE}.sipCaller/1.0.0.json`,
			`/schemas/${PACKAGE}.sipCaller/1.0.0/campaign/delete.json`,
			`/schemas/${PACKAGE}.sipCallerTrigger/3.0.0.json`,
			`/schemas/${PACKAGE}.sipCallerTrigger/2.0.0/campaign/getAll.json`,
		]) {
			expect([url, (await get(url)).status]).toEqual([url, 404]);
		}
	});

	it("Instance AI's lookup (n8n-core's loadOutputSchema, with version fallback) gives each node its own", () => {
		if (!n8n2()) return;
		const byType = new Map(nodeTypes().map((n) => [n.type, n.folder]));
		const lookups = [
			{ type: 'sipCaller', typeVersion: 1, resource: 'campaign', operation: 'getAll' },
			{ type: 'sipCaller', typeVersion: 1 },
			{ type: 'sipCaller', typeVersion: 1, operation: 'getAll' },
			{ type: 'sipCallerTrigger', typeVersion: 1 },
			{ type: 'sipCallerTrigger', typeVersion: 2 },
			{ type: 'sipCallerTrigger', typeVersion: 3 },
		].map((l) => ({ ...l, nodeDir: byType.get(`${PACKAGE}.${l.type}`) }));
		// n8n's own code, run by the node that runs this n8n.
		const script = `
			const { resolveOutputSchemaPath } = require('n8n-core');
			const lookups = JSON.parse(process.argv[1]);
			console.log(JSON.stringify(lookups.map((l) =>
				resolveOutputSchemaPath({ ...l, version: l.typeVersion, versionFallback: true }) ?? null)));`;
		const found = JSON.parse(
			execFileSync(paths.node.node, ['-e', script, JSON.stringify(lookups)], {
				cwd: paths.n8nDir,
				encoding: 'utf8',
			}),
		) as Array<string | null>;
		const sipCaller = join(byType.get(`${PACKAGE}.sipCaller`)!, '__schema__');
		const trigger = join(byType.get(`${PACKAGE}.sipCallerTrigger`)!, '__schema__');
		expect(found).toEqual([
			join(sipCaller, 'v1.0.0', 'campaign', 'getAll.json'),
			null, // no resource/operation: no file (with one folder it would be the trigger's v1)
			null,
			join(trigger, 'v1.0.0.json'),
			join(trigger, 'v2.0.0.json'),
			null, // a later version falls back to version folders only (the trigger has files)
		]);
	});
});
