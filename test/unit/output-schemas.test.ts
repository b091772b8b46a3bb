/**
 * The output schemas n8n reads from the package (scripts/output-schemas.js, run by npm run build):
 * generated here from the sources into a temp folder, one for every version of the trigger and
 * every resource/operation the SIP Caller node's description offers (enumerated from the
 * descriptions), each `{ type: 'object', properties }`; and what the nodes emit conforms: the
 * trigger's real webhook() on each of SIP Caller's samples, the SIP Caller node's real execute()
 * against the fake SIP Caller API.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { createServer, type Server } from 'http';
import { tmpdir } from 'os';
import { join, posix, resolve } from 'path';

import type { INodeParameters, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { OPERATIONS } from '../../nodes/SipCaller/actions/operations';
import { toSimplifiedRow } from '../../nodes/SipCaller/core';
import { FAKE_ACCOUNT_ID, FAKE_API_KEY, FAKE_CAMPAIGNS } from '../../scripts/fake-api/data';
import { startFakeSipCallerApi, type FakeSipCallerApi } from '../../scripts/fake-api/server';
import { outputSchemas, writeOutputSchemas } from '../../scripts/output-schemas';
import { runSipCallerNode } from '../helpers/execute-context';
import { ALL_FIXTURES, fixtureBytes, fixtureJson } from '../helpers/fixtures';
import { matchingBranch, problems, type JsonSchema } from '../helpers/json-schema';
import { callWebhook, signedCall } from '../helpers/webhook-context';

const REPO = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[] };
};

/** A built module's path (dist/..., no extension) → its TypeScript source. */
const loadSource = (path: string): unknown =>
	jest.requireActual(join(REPO, path.replace(/^dist\//, '')));

/** Each node of package.json: its built file, folder and description. */
const nodes = pkg.n8n.nodes.map((built) => {
	const className = posix.basename(built, '.node.js');
	const module = loadSource(built.replace(/\.js$/, '')) as Record<string, new () => INodeType>;
	return { built, folder: posix.dirname(built), description: new module[className]().description };
});
const node = (name: string) => nodes.find((n) => n.description.name === name)!;

const versionsOf = (description: INodeTypeDescription) =>
	Array.isArray(description.version) ? description.version : [description.version];
const pad = (version: number) =>
	String(version).split('.').concat(['0', '0']).slice(0, 3).join('.');

/** resource/operation pairs a description offers (its Resource options × each Operation's). */
function offered(description: INodeTypeDescription): string[] {
	const resource = description.properties.find((p) => p.name === 'resource');
	const values = (resource?.options ?? []) as Array<{ value: string }>;
	return values.flatMap(({ value }) =>
		description.properties
			.filter((p) => p.name === 'operation')
			.filter((p) => (p.displayOptions?.show?.resource as string[] | undefined)?.includes(value))
			.flatMap((p) => (p.options as Array<{ value: string }>).map((o) => `${value}/${o.value}`)),
	);
}

/** Every file below `dir`, relative, with `/`. */
function filesBelow(dir: string): string[] {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) =>
			posix.join(
				...join(entry.parentPath ?? entry.path, entry.name)
					.slice(dir.length + 1)
					.split(/[\\/]/),
			),
		);
}

let out: string;
let written: Map<string, JsonSchema>;

beforeAll(() => {
	out = mkdtempSync(join(tmpdir(), 'sip-caller-schemas-'));
	writeOutputSchemas(out, outputSchemas(loadSource, pkg));
	written = new Map(
		filesBelow(out).map((file) => [file, JSON.parse(readFileSync(join(out, file), 'utf8'))]),
	);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const schemaOf = (file: string): JsonSchema => {
	const schema = written.get(file);
	if (!schema) throw new Error(`no output schema ${file}`);
	return schema;
};
const triggerSchema = (version: number) =>
	schemaOf(`${node('sipCallerTrigger').folder}/__schema__/v${pad(version)}.json`);
const operationSchema = (resourceOperation: string) =>
	schemaOf(
		`${node('sipCaller').folder}/__schema__/v${pad(versionsOf(node('sipCaller').description)[0])}/${resourceOperation}.json`,
	);

describe('the files', () => {
	it('are one per trigger version and per version × resource/operation of the SIP Caller node, nothing else', () => {
		const expected = nodes.flatMap(({ folder, description }) => {
			const operations = offered(description);
			return versionsOf(description).flatMap((version) =>
				operations.length === 0
					? [`${folder}/__schema__/v${pad(version)}.json`]
					: operations.map((op) => `${folder}/__schema__/v${pad(version)}/${op}.json`),
			);
		});
		expect([...written.keys()].sort()).toEqual(expected.sort());
		// The trigger has two versions, the node three operations: the enumeration is not empty.
		expect(expected.length).toBe(
			versionsOf(node('sipCallerTrigger').description).length +
				offered(node('sipCaller').description).length,
		);
	});

	it('the operations the description offers are those execute() runs (actions/operations.ts)', () => {
		const run = Object.entries(OPERATIONS).flatMap(([resource, operations]) =>
			Object.keys(operations).map((operation) => `${resource}/${operation}`),
		);
		expect(offered(node('sipCaller').description).sort()).toEqual(run.sort());
	});

	it('each node has a folder of its own (n8n finds __schema__ by folder and version, not by type)', () => {
		const folders = nodes.map((n) => n.folder);
		expect(new Set(folders).size).toBe(folders.length);
		// The generator refuses two nodes in one folder.
		const twice = { n8n: { nodes: [pkg.n8n.nodes[0], pkg.n8n.nodes[0]] } };
		expect(() => outputSchemas(loadSource, twice)).toThrow(/share .*folder of its own/);
	});

	it('every schema is { type: "object", properties: {...} } with properties (what the editor accepts)', () => {
		for (const [file, schema] of written) {
			expect([file, schema.type]).toEqual([file, 'object']);
			expect([file, Object.keys(schema.properties ?? {}).length > 0]).toEqual([file, true]);
		}
	});
});

describe("SIP Caller Trigger: each version's default output, for each of SIP Caller's samples", () => {
	const versions = versionsOf(node('sipCallerTrigger').description);
	const cases = versions.flatMap((version) => ALL_FIXTURES.map((type) => [version, type] as const));

	async function emitted(version: number, body: Buffer | string) {
		const { result } = await callWebhook({
			...signedCall(body),
			typeVersion: version,
			parameters: { events: ['*'] },
		});
		const items = result.workflowData?.[0] ?? [];
		expect(items).toHaveLength(1);
		return items[0].json;
	}

	it.each(cases)('version %s, %s: conforms, to the branch of its kind', async (version, type) => {
		const item = await emitted(version, fixtureBytes(type));
		// Version 1 emits the Full event, version 2 the Simplified row (their default Output).
		expect(item).toEqual(version === 1 ? fixtureJson(type) : toSimplifiedRow(fixtureJson(type)));
		const schema = triggerSchema(version);
		expect(problems(schema, item)).toEqual([]);
		expect(matchingBranch(schema, item)).toBe(type === 'CallEnded' ? 0 : 1);
	});

	it.each(versions)(
		'version %s: an event type this package does not know (All Events) conforms, to the last branch',
		async (version) => {
			const body = JSON.stringify({ ...fixtureJson('CallEnded'), type: 'SomeLaterEvent' });
			const item = await emitted(version, body);
			const schema = triggerSchema(version);
			expect(problems(schema, item)).toEqual([]);
			expect(matchingBranch(schema, item)).toBe((schema.anyOf ?? []).length - 1);
		},
	);

	it('the Simplified row: the documented columns are required, var_/answer_ open-ended, nothing else', () => {
		const [callEnded, campaign] = triggerSchema(2).anyOf ?? [];
		const row = toSimplifiedRow(fixtureJson('CallEnded'));
		expect(callEnded.required).toEqual(
			Object.keys(row).filter((k) => !k.startsWith('var_') && !k.startsWith('answer_')),
		);
		expect(Object.keys(callEnded.patternProperties ?? {})).toEqual(['^var_', '^answer_']);
		expect(problems(callEnded, { ...row, 'var_Any Variable': null, answer_Q9: '3' })).toEqual([]);
		expect(problems(callEnded, { ...row, surprise: 1 })).toEqual(['$: unexpected key surprise']);
		expect(problems(callEnded, { ...row, attempt: '1' })).toEqual([
			'$.attempt: expected number or null, got "1"',
		]);
		const withoutId: Record<string, unknown> = toSimplifiedRow(fixtureJson('CampaignPaused'));
		delete withoutId.eventId;
		expect(problems(campaign, withoutId)).toEqual(['$: missing eventId']);
	});

	it('the Full event: a documented event that differs from its schema matches no branch of its kind', () => {
		const event = fixtureJson('CallEnded') as { data: { callDetails: Record<string, unknown> } };
		event.data.callDetails.attempt = 'first';
		const [callEnded] = triggerSchema(1).anyOf ?? [];
		expect(problems(callEnded, event)).toEqual([
			'$.data.callDetails.attempt: expected integer, got "first"',
		]);
	});
});

describe("SIP Caller node: each operation's items, against the fake SIP Caller API", () => {
	let api: FakeSipCallerApi;
	beforeAll(async () => {
		api = await startFakeSipCallerApi();
	});
	afterAll(() => api.close());
	beforeEach(() => api.reset());

	const collections = { __rl: true, mode: 'id', value: FAKE_CAMPAIGNS.collections.id };
	/** The parameters each operation runs with here: one entry per operation the description offers. */
	const RUNS: Record<string, INodeParameters> = {
		'campaign/getAll': { resource: 'campaign', operation: 'getAll', returnAll: true },
		'campaignNumber/add': {
			resource: 'campaignNumber',
			operation: 'add',
			campaign: collections,
			number: '+1 800 555 1234',
			variables: {
				mappingMode: 'defineBelow',
				value: { 'Customer Name': 'Ann', 'Due Balance': '10' },
				matchingColumns: [],
				schema: [],
			},
		},
		'campaignNumber/getAll': {
			resource: 'campaignNumber',
			operation: 'getAll',
			campaign: collections,
			returnAll: true,
		},
	};

	it.each(offered(node('sipCaller').description))('%s', async (resourceOperation) => {
		const parameters = RUNS[resourceOperation];
		expect([resourceOperation, parameters]).toEqual([resourceOperation, expect.any(Object)]);
		const credential = { accountId: FAKE_ACCOUNT_ID, apiKey: FAKE_API_KEY, baseUrl: api.baseUrl };
		const { items, error } = await runSipCallerNode({ credential, parameters });
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		const schema = operationSchema(resourceOperation);
		for (const { json } of items) expect(problems(schema, json)).toEqual([]);
	});

	describe('Add, when SIP Caller answers with no JSON object', () => {
		let server: Server;
		let baseUrl: string;
		beforeAll(async () => {
			server = createServer((req, res) => {
				req.resume();
				req.on('end', () => res.writeHead(201).end());
			});
			await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
			const address = server.address() as { port: number };
			baseUrl = `http://127.0.0.1:${address.port}/v1`;
		});
		afterAll(() => new Promise<void>((done) => server.close(() => done())));

		it('its own row conforms', async () => {
			const { items, error } = await runSipCallerNode({
				credential: { accountId: 'account', apiKey: 'key', baseUrl },
				parameters: {
					resource: 'campaignNumber',
					operation: 'add',
					campaign: { __rl: true, mode: 'id', value: 'campaign-1' },
					number: '+18005551234',
					variableInput: 'ordered',
					orderedValues: { values: [{ value: 'Ann' }] },
				},
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => i.json)).toEqual([
				{ campaignId: 'campaign-1', number: '+18005551234', varValues: ['Ann'], added: true },
			]);
			expect(problems(operationSchema('campaignNumber/add'), items[0].json)).toEqual([]);
		});
	});

	it('campaign/getAll: the zod campaign schema, so a row with a campaign field of another type does not conform', () => {
		const row = { ...api.campaigns[0], varNames: 'Customer Name' };
		expect(problems(operationSchema('campaign/getAll'), row)).toEqual([
			'$.varNames: expected array or null, got "Customer Name"',
		]);
	});
});
