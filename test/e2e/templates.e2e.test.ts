/**
 * The ready-made workflows in examples/ in a real n8n: each file imported as it is (with the
 * `n8n import:workflow` command, and through the REST call the editor makes when a user imports a
 * file and saves it), then read back to check that n8n stored every node unchanged, that every
 * node type is one n8n has loaded and that every node's typeVersion is one that type has.
 *
 * The trigger's parameters are checked in the JSON only: what they do is the trigger suite's job.
 * n8n's own node that needs no account (Data table) runs as it is: the Data table template's rows
 * are read back from n8n, and the SMS template's log of sent events (a data table keyed on
 * eventId) is shown to stop a second delivery of one event after an n8n restart.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { signPayload, toSimplifiedRow } from '../../nodes/SipCaller/core';
import { sampleEvent } from '../../nodes/SipCaller/core/samples';
import { fixtureJson } from '../helpers/fixtures';
import { freePortPair, harness, REPO_DIR, type N8nInstance } from './harness';
import { startSink, type Sink } from './sink';

const EXAMPLES_DIR = join(REPO_DIR, 'examples');
const TRIGGER_TYPE = 'n8n-nodes-sip-caller.sipCallerTrigger';
const STICKY_TYPE = 'n8n-nodes-base.stickyNote';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface TemplateNode {
	disabled?: boolean;
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: unknown;
}

interface TemplateJson {
	name: string;
	nodes: TemplateNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
	settings: Record<string, unknown>;
	pinData: Record<string, Array<{ json: Record<string, unknown> }>>;
	[key: string]: unknown;
}

interface Template {
	file: string;
	/** The id the test gives the workflow when importing it (the files carry none). */
	id: string;
	json: TemplateJson;
}

/**
 * What each template is for: its flows, each a start node (a SIP Caller Trigger with these
 * parameters, or another trigger) feeding one node of the given type.
 */
interface Flow {
	start: string;
	trigger?: Record<string, unknown>;
	next: string;
}
/** n8n 1.x (SIP_CALLER_N8N_VERSION=1.x): where it legitimately differs, the tests say so. */
const ON_N8N_1 = harness.N8N_VERSION.startsWith('1.');

/**
 * Template nodes in a typeVersion that n8n 1.x does not have (checked on 1.123.81, the newest
 * 1.x): n8n 1.x's Slack node stops at 2.4. The templates are made with n8n 2.x and stay as they
 * are; on 1.x the test checks that exactly these nodes are the ones missing.
 */
const NOT_IN_N8N_1: Record<string, Record<string, number>> = {
	'campaign-finished-to-slack.json': { 'Post to Slack': 2.7 },
	// n8n 1.x's Data table node is version 1: rows only, a table picked by ID (the template's note
	// says what a 1.x user does instead).
	'call-ended-to-data-table.json': { 'Create Call Log Table': 1.1, 'Add Call to Log': 1.1 },
	'no-answer-to-sms.json': { 'SMS Log Table': 1.1, 'Not Sent Yet?': 1.1, 'Record in SMS Log': 1.1 },
};
const SHEETS_TRIGGER = 'n8n-nodes-base.googleSheetsTrigger';
const SIP_CALLER = 'n8n-nodes-sip-caller.sipCaller';
const DATA_TABLE = 'n8n-nodes-base.dataTable';
/** n8n's own nodes that need no account: the checked copies run them as they are. */
const RUN_AS_THEY_ARE = new Set([DATA_TABLE]);
const EXPECTED: Record<string, Flow[]> = {
	'call-ended-to-data-table.json': [
		{
			start: TRIGGER_TYPE,
			trigger: { events: ['CallEnded'], output: 'simplified', options: {} },
			next: DATA_TABLE,
		},
	],
	'call-ended-to-google-sheets.json': [
		{
			start: TRIGGER_TYPE,
			trigger: { events: ['CallEnded'], output: 'simplified', options: {} },
			next: 'n8n-nodes-base.googleSheets',
		},
	],
	'campaign-finished-to-slack.json': [
		{
			start: TRIGGER_TYPE,
			trigger: {
				events: ['CampaignFinished', 'CampaignCanceled'],
				output: 'simplified',
				options: {},
			},
			next: 'n8n-nodes-base.slack',
		},
	],
	'no-answer-to-sms.json': [
		{
			start: TRIGGER_TYPE,
			trigger: {
				events: ['CallEnded'],
				output: 'simplified',
				options: { ringResults: ['NoAnswer'] },
			},
			next: DATA_TABLE,
		},
	],
	'call-ended-to-hubspot.json': [
		{
			start: TRIGGER_TYPE,
			trigger: { events: ['CallEnded'], output: 'simplified', options: {} },
			next: 'n8n-nodes-base.hubspot',
		},
	],
	'google-sheets-rows-to-campaign.json': [{ start: SHEETS_TRIGGER, next: SIP_CALLER }],
	'google-sheets-leads-loop.json': [
		{ start: SHEETS_TRIGGER, next: SIP_CALLER },
		{
			start: TRIGGER_TYPE,
			trigger: { events: ['CallEnded'], output: 'simplified', options: {} },
			next: 'n8n-nodes-base.googleSheets',
		},
	],
};

const templates: Template[] = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file, index) => ({
		file,
		id: `sipExample${index + 1}`,
		json: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as TemplateJson,
	}));

const triggerOf = (template: Template) =>
	template.json.nodes.find((node) => node.type === TRIGGER_TYPE);

interface NodeTypeEntry {
	name: string;
	version: number | number[];
}

interface StoredWorkflow {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: TemplateJson['connections'];
	settings?: Record<string, unknown>;
	pinData?: TemplateJson['pinData'];
}

const CHECK_SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const CHECK_CREDENTIAL = { id: 'sipExampleCheckCred', name: 'SIP Caller Webhook (template check)' };

/** Every expression in a node's parameters, with where it stands (`columns.value.Lead ID`). */
function expressionsOf(value: unknown, path: string[] = []): Array<[string, string]> {
	if (typeof value === 'string') return value.startsWith('=') ? [[path.join('.'), value]] : [];
	if (Array.isArray(value)) return value.flatMap((v, i) => expressionsOf(v, [...path, String(i)]));
	if (typeof value === 'object' && value !== null)
		return Object.entries(value).flatMap(([k, v]) => expressionsOf(v, [...path, k]));
	return [];
}

/**
 * The template as it runs before the user has any account: each node after a start node that needs
 * an account (Google Sheets, Slack, Twilio, HubSpot, SIP Caller's API) replaced by an Edit Fields
 * (Set) node of the same name that evaluates the node's own expressions, so the run shows what the
 * external node would have been given; n8n's Data table nodes run as they are. The
 * trigger gets a credential and a webhook id of its own, so the copy can also be published and sent
 * a real event.
 */
function checkedCopy(template: Template): Template {
	const starts = new Set(Object.keys(template.json.pinData));
	const nodes = template.json.nodes.map((node): TemplateNode => {
		if (node.type === TRIGGER_TYPE) {
			return {
				...node,
				webhookId: `${node.webhookId}-check`,
				credentials: { sipCallerWebhookApi: CHECK_CREDENTIAL },
			};
		}
		if (starts.has(node.name) || node.type === STICKY_TYPE || RUN_AS_THEY_ARE.has(node.type))
			return node;
		return {
			id: node.id,
			name: node.name,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: node.position,
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: expressionsOf(node.parameters).map(([name, value], i) => ({
						id: `expression-${i}`,
						name,
						value,
						type: 'string',
					})),
				},
				includeOtherFields: false,
				options: { dotNotation: false },
			},
		};
	});
	return {
		file: template.file,
		id: `${template.id}Check`,
		json: { ...template.json, name: `${template.json.name} (check)`, nodes },
	};
}

/**
 * The checked copy to publish: its SIP Caller Trigger only (another trigger, Google Sheets', would
 * need its account to be activated, so it is disabled here), its own id and webhook id.
 */
function liveCopy(template: Template): Template {
	const copy = checkedCopy(template);
	const nodes = copy.json.nodes.map((node) => {
		if (node.type === TRIGGER_TYPE) return { ...node, webhookId: `${node.webhookId}-live` };
		if (node.type === SHEETS_TRIGGER) return { ...node, disabled: true };
		return node;
	});
	return {
		...copy,
		id: `${template.id}Live`,
		json: { ...copy.json, name: `${template.json.name} (live)`, nodes },
	};
}

/**
 * Whether the template's nodes that run as they are exist in this n8n (n8n 1.x has no Data table
 * 1.1: the Data table and SMS templates are imported and checked there, not run).
 */
function runsHere(template: Template): boolean {
	if (!ON_N8N_1) return true;
	return !template.json.nodes.some(
		(node) => RUN_AS_THEY_ARE.has(node.type) && NOT_IN_N8N_1[template.file]?.[node.name],
	);
}

/**
 * The SMS template published with its Send SMS posting the trigger's item (what Twilio would be
 * given) to the suite's sink instead of Twilio; its Data table nodes as they are.
 */
function smsToSinkCopy(template: Template, sinkUrl: string): Template {
	const copy = liveCopy(template);
	const nodes = copy.json.nodes.map((node): TemplateNode => {
		if (node.type === TRIGGER_TYPE)
			return { ...node, webhookId: `${triggerOf(template)!.webhookId}-sink` };
		if (node.name !== 'Send SMS') return node;
		return {
			id: node.id,
			name: node.name,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: node.position,
			parameters: {
				method: 'POST',
				url: `${sinkUrl}/sms`,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: "={{ JSON.stringify($('SIP Caller Trigger').item.json) }}",
				options: {},
			},
		};
	});
	return {
		...copy,
		id: `${template.id}Sink`,
		json: { ...copy.json, name: `${template.json.name} (to the sink)`, nodes },
	};
}

/**
 * The checked copy after the user unpinned the sample (n8n 2.x runs the saved workflow, not the
 * editor's: the unpinned workflow is a workflow of its own here), to be sent the browser sample.
 */
function unpinnedCopy(template: Template): Template {
	const copy = checkedCopy(template);
	const nodes = copy.json.nodes.map((node) =>
		node.type === TRIGGER_TYPE
			? { ...node, webhookId: `${triggerOf(template)!.webhookId}-unpinned` }
			: node,
	);
	return {
		...copy,
		id: `${template.id}Unpinned`,
		json: { ...copy.json, name: `${template.json.name} (sample unpinned)`, nodes, pinData: {} },
	};
}

const byFile = (file: string) => templates.find((t) => t.file === file)!;
const sms = byFile('no-answer-to-sms.json');
const callLog = byFile('call-ended-to-data-table.json');

/** SIP Caller's sample of a call that was not answered (nulls and zeros), with its own id. */
function noAnswerCall(id: string): Record<string, unknown> {
	return {
		...sampleEvent('CallEnded', { events: ['CallEnded'], ringResults: ['NoAnswer'] }),
		id,
	};
}

let n8n: N8nInstance;
let sink: Sink;
/** GET /types/nodes.json as the owner: every node type n8n loaded, one entry per description. */
let nodeTypeEntries: NodeTypeEntry[];

/** The copy's newest execution of `mode` once `count` have finished, with its data. */
async function finishedRun(workflowId: string, mode: string, count: number) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const runs = (await n8n.listExecutions(workflowId)).filter((e) => e.mode === mode);
		if ((runs.length >= count && runs.every((e) => e.stoppedAt)) || Date.now() > deadline) {
			expect(runs.length).toBeGreaterThanOrEqual(count);
			return n8n.getExecution(runs[0].id);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * What the editor sends for "Execute workflow" from `start` (n8n 2.41.1 runs the workflow as saved,
 * pinned data included: with a sample pinned it runs at once, without one it listens).
 */
async function executeWorkflow(workflowId: string, start: string) {
	const workflowData = await n8n.rest('GET', `/rest/workflows/${workflowId}`);
	return (await n8n.rest('POST', `/rest/workflows/${workflowId}/run`, {
		workflowData,
		triggerToStartFrom: { name: start },
	})) as { waitingForWebhook?: boolean; executionId?: string };
}

/** POST an event, signed with the check credential's secret, to a published copy's Production URL. */
async function deliver(webhookId: string, event: Record<string, unknown>) {
	const body = JSON.stringify(event);
	const response = await fetch(`${n8n.baseUrl}/webhook/${webhookId}/webhook`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'sip-caller-signature': signPayload(body, CHECK_SECRET),
		},
		body,
	});
	return { status: response.status, text: await response.text() };
}

/** /types/nodes.json is an array, not a `{ data }` answer, so it is read with our own login. */
async function readNodeTypeEntries(owner: { email: string; password: string }) {
	const login = await fetch(new URL('/rest/login', n8n.baseUrl), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	expect(login.status).toBe(200);
	const cookie = login.headers
		.getSetCookie()
		.find((c) => c.startsWith('n8n-auth='))!
		.split(';')[0];
	const response = await fetch(new URL('/types/nodes.json', n8n.baseUrl), {
		headers: { cookie },
	});
	expect(response.status).toBe(200);
	return (await response.json()) as NodeTypeEntry[];
}

/** Node fields n8n must keep exactly as the template has them. */
function essentials(node: TemplateNode) {
	return {
		id: node.id,
		name: node.name,
		type: node.type,
		typeVersion: node.typeVersion,
		position: node.position,
		parameters: node.parameters,
		webhookId: node.webhookId,
	};
}

function expectStoredAsIs(stored: StoredWorkflow, template: Template) {
	expect(stored.name).toBe(template.json.name);
	expect(stored.nodes).toHaveLength(template.json.nodes.length);
	const byName = new Map(stored.nodes.map((node) => [node.name, node]));
	for (const node of template.json.nodes) {
		expect(byName.has(node.name)).toBe(true);
		expect(essentials(byName.get(node.name)!)).toEqual(essentials(node));
	}
	expect(stored.connections).toEqual(template.json.connections);
	const trigger = triggerOf(template);
	if (trigger) {
		expect(stored.nodes.find((node) => node.type === TRIGGER_TYPE)).toMatchObject({
			type: TRIGGER_TYPE,
			typeVersion: 2,
			webhookId: trigger.webhookId,
		});
	}
	// The sample items, as pinned.
	expect(stored.pinData).toEqual(template.json.pinData);
}

beforeAll(
	async () => {
		await harness.ensureN8n();
		const tarball = await harness.packRepo(REPO_DIR);
		n8n = await harness.createInstance({ port: await freePortPair() });
		await n8n.installPackage(tarball);
		// n8n's import assigns a random id to a workflow without one: give each a known id here,
		// the files stay as a user downloads them.
		await n8n.importWorkflow(
			templates.map((template) => ({ ...template.json, id: template.id, active: false })),
		);
		// The checked copies; those with a SIP Caller Trigger published, to be sent a real event.
		await n8n.importCredentials([
			{ ...CHECK_CREDENTIAL, type: 'sipCallerWebhookApi', data: { signingSecret: CHECK_SECRET } },
		]);
		sink = await startSink();
		const copies = [...templates.map(checkedCopy), ...[callLog].filter(runsHere).map(unpinnedCopy)];
		const live = [
			...templates.filter((t) => triggerOf(t) && runsHere(t)).map(liveCopy),
			...[sms].filter(runsHere).map((t) => smsToSinkCopy(t, sink.url)),
		];
		await n8n.importWorkflow(
			[...copies, ...live].map((copy) => ({ ...copy.json, id: copy.id, active: false })),
		);
		for (const copy of live) await n8n.publishWorkflow(copy.id);
		await n8n.start();
		for (const copy of live)
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${triggerOf(copy)!.webhookId}/webhook`);
		nodeTypeEntries = await readNodeTypeEntries(await n8n.setupOwner());
	},
	20 * 60 * 1000,
);

afterAll(async () => {
	await n8n?.stop();
	await sink?.close();
});

describe('the files in examples/', () => {
	it('are the seven templates', () => {
		expect(templates.map((t) => t.file).sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	it.each(templates.map((t) => [t.file, t] as const))(
		'%s: a workflow to import as it is',
		(_file, template) => {
			const { json } = template;
			expect(Object.keys(json).sort()).toEqual([
				'connections',
				'name',
				'nodes',
				'pinData',
				'settings',
			]);
			expect(json.name).toMatch(/^SIP Caller: /);

			// Unique node ids and names, no credential: the user picks theirs after import.
			const ids = json.nodes.map((node) => node.id);
			const names = json.nodes.map((node) => node.name);
			expect(new Set(ids).size).toBe(ids.length);
			expect(new Set(names).size).toBe(names.length);
			for (const node of json.nodes) {
				expect(node.id).toMatch(UUID);
				expect(node).not.toHaveProperty('credentials');
			}

			// Each flow: its start node feeding the expected node; at most one SIP Caller Trigger,
			// with its own fixed webhook id; a SIP Caller node adds a number to a picked campaign.
			const flows = EXPECTED[template.file];
			const triggers = json.nodes.filter((node) => node.type === TRIGGER_TYPE);
			expect(triggers).toHaveLength(flows.filter((f) => f.start === TRIGGER_TYPE).length);
			for (const flow of flows) {
				const start = json.nodes.find((node) => node.type === flow.start)!;
				expect(start).toBeDefined();
				if (flow.trigger) {
					// The trigger's newest version (saved version-1 workflows: the trigger suite).
					expect(start.typeVersion).toBe(2);
					expect(start.webhookId).toMatch(UUID);
					expect(start.parameters).toEqual(flow.trigger);
				}
				const next = json.connections[start.name].main[0].map((c) => c.node);
				expect(next).toHaveLength(1);
				const nextNode = json.nodes.find((node) => node.name === next[0])!;
				expect(nextNode.type).toBe(flow.next);
				if (flow.next === SIP_CALLER) {
					expect(nextNode.parameters).toMatchObject({
						resource: 'campaignNumber',
						operation: 'add',
						campaign: { __rl: true, mode: 'list', value: '' },
						variableInput: 'map',
					});
				}
			}

			// Every connection joins existing nodes; a sticky note says what to set.
			for (const [from, outputs] of Object.entries(json.connections)) {
				expect(names).toContain(from);
				for (const c of outputs.main.flat()) expect(names).toContain(c.node);
			}
			const notes = json.nodes.filter((node) => node.type === STICKY_TYPE);
			expect(notes.length).toBeGreaterThan(0);
			const noteText = notes.map((note) => note.parameters.content).join('\n');
			if (triggers.length > 0) expect(noteText).toMatch(/Production URL/);
			if (flows.some((f) => f.next === SIP_CALLER)) expect(noteText).toMatch(/SIP Caller API/);
		},
	);

	it('give each trigger its own webhook id', () => {
		const webhookIds = templates.flatMap((t) => triggerOf(t)?.webhookId ?? []);
		expect(webhookIds.length).toBeGreaterThan(0);
		expect(new Set(webhookIds).size).toBe(webhookIds.length);
	});
});

describe(`imported into n8n ${harness.N8N_VERSION}`, () => {
	it.each(templates.map((t) => [t.file, t] as const))(
		'%s: stored with all its nodes, unchanged (n8n import:workflow)',
		async (_file, template) => {
			const stored = (await n8n.rest('GET', `/rest/workflows/${template.id}`)) as StoredWorkflow;
			expect(stored.id).toBe(template.id);
			expectStoredAsIs(stored, template);
		},
	);

	it.each(templates.map((t) => [t.file, t] as const))(
		'%s: saved through the REST call the editor makes after "Import from File"',
		async (_file, template) => {
			// A user importing the file next to the CLI copy: another workflow, another name.
			const json = { ...template.json, name: `${template.json.name} (editor import)` };
			// n8n 1.x's editor sends `active: false` with a new workflow, and 1.x's POST
			// /rest/workflows fails without it (500, NOT NULL constraint on workflow_entity.active);
			// 2.x's editor sends no `active`.
			const body = ON_N8N_1 ? { ...json, active: false } : json;
			const created = (await n8n.rest('POST', '/rest/workflows', body)) as StoredWorkflow;
			const stored = (await n8n.rest('GET', `/rest/workflows/${created.id}`)) as StoredWorkflow;
			expectStoredAsIs(stored, { ...template, json });
		},
	);

	it.each(templates.map((t) => [t.file, t] as const))(
		'%s: every node type is loaded, in the typeVersion the template uses',
		async (_file, template) => {
			const loaded = await n8n.nodeTypes();
			for (const node of template.json.nodes) {
				expect(loaded).toContain(node.type);
				// nodes.json has one entry per description; `version` is a number or a list.
				const versions = nodeTypeEntries
					.filter((entry) => entry.name === node.type)
					.flatMap((entry) => entry.version);
				const notInN8n1 = NOT_IN_N8N_1[template.file]?.[node.name];
				if (ON_N8N_1 && notInN8n1 !== undefined) {
					expect({ node: node.name, typeVersion: node.typeVersion }).toEqual({
						node: node.name,
						typeVersion: notInN8n1,
					});
					expect(versions).not.toContain(node.typeVersion);
					continue;
				}
				expect({ node: node.name, versions }).toEqual({
					node: node.name,
					versions: expect.arrayContaining([node.typeVersion]),
				});
			}
		},
	);
});

/** A data table as n8n lists it (GET /rest/data-tables-global). */
interface DataTableEntry {
	id: string;
	name: string;
	projectId: string;
	columns: Array<{ name: string; type: string; index: number }>;
}

/** The data tables named exactly `name` (n8n's filter matches a part of the name). */
async function tablesNamed(name: string): Promise<DataTableEntry[]> {
	const filter = encodeURIComponent(JSON.stringify({ name }));
	const list = (await n8n.rest('GET', `/rest/data-tables-global?filter=${filter}&take=250`)) as {
		data: DataTableEntry[];
	};
	return list.data.filter((table) => table.name === name);
}

/** The rows of the one table named `name` with this eventId, as n8n's Data tables page reads them. */
async function rowsWithEventId(name: string, eventId: unknown) {
	const [table] = await tablesNamed(name);
	const rows: Array<Record<string, unknown>> = [];
	for (let skip = 0; ; skip += 250) {
		const page = (await n8n.rest(
			'GET',
			`/rest/projects/${table.projectId}/data-tables/${table.id}/rows?skip=${skip}&take=250`,
		)) as { count: number; data: Array<Record<string, unknown>> };
		rows.push(...page.data);
		if (rows.length >= page.count || page.data.length === 0) break;
	}
	return rows.filter((row) => row.eventId === eventId);
}

describe(`call-ended-to-data-table.json in n8n ${harness.N8N_VERSION}: each ended call a row, read back from n8n`, () => {
	// n8n 1.x's Data table node has no Table > Create and finds tables by ID only (the note's 1.x way).
	const maybe = ON_N8N_1 ? it.skip : it;
	const create = callLog.json.nodes.find((node) => node.name === 'Create Call Log Table')!;
	const tableName = String(create.parameters.tableName);
	const columns = (create.parameters.columns as { column: Array<{ name: string; type: string }> })
		.column;
	const trigger = triggerOf(callLog)!;

	const tables = () => tablesNamed(tableName);
	const rowsOf = (eventId: unknown) => rowsWithEventId(tableName, eventId);

	/** The row's value in each of the template's columns. */
	const columnsOf = (row: Record<string, unknown>) =>
		Object.fromEntries(columns.map(({ name }) => [name, row[name]]));

	maybe(
		'"Execute workflow" on the pinned sample: the first run creates the table with its columns and adds the sample\'s row',
		async () => {
			expect(await tables()).toEqual([]);
			const copy = checkedCopy(callLog);
			const answer = await executeWorkflow(copy.id, trigger.name);
			expect(answer.waitingForWebhook).not.toBe(true);
			const execution = await finishedRun(copy.id, 'manual', 1);
			expect(execution.status).toBe('success');
			const found = await tables();
			expect(found).toHaveLength(1);
			const [table] = found;
			expect(
				[...table.columns]
					.sort((a, b) => a.index - b.index)
					.map(({ name, type }) => ({ name, type })),
			).toEqual(columns);
			const pinned = callLog.json.pinData[trigger.name][0].json;
			const rows = await rowsOf(pinned.eventId);
			expect(rows).toHaveLength(1);
			expect(columnsOf(rows[0])).toEqual(columnsOf(pinned));
		},
		60_000,
	);

	maybe(
		"the Test URL opened in a browser (sample unpinned): the same table, the sample event's row",
		async () => {
			const copy = unpinnedCopy(callLog);
			// "Execute workflow" with nothing pinned: the trigger listens for the Test URL.
			const answer = await executeWorkflow(copy.id, trigger.name);
			expect(answer.waitingForWebhook).toBe(true);
			const response = await fetch(
				`${n8n.baseUrl}/webhook-test/${triggerOf(copy)!.webhookId}/webhook`,
			);
			expect(response.status).toBe(200);
			expect(await response.text()).toMatch(/A sample Call Ended event was sent to the n8n editor/);
			const execution = await finishedRun(copy.id, 'manual', 1);
			expect(execution.status).toBe('success');
			const [row] = execution.nodes[trigger.name] as Array<Record<string, unknown>>;
			expect(row.eventId).not.toBe(callLog.json.pinData[trigger.name][0].json.eventId);
			expect(await tables()).toHaveLength(1);
			const rows = await rowsOf(row.eventId);
			expect(rows).toHaveLength(1);
			expect(columnsOf(rows[0])).toEqual(columnsOf(row));
		},
		60_000,
	);

	maybe(
		'published: a signed event to the Production URL adds its row (a call not answered: its nulls and zeros too)',
		async () => {
			const copy = liveCopy(callLog);
			const event = noAnswerCall('019a0000-0000-7000-8000-0000000da7a1');
			const sent = await deliver(triggerOf(copy)!.webhookId!, event);
			expect(sent.status).toBe(200);
			const execution = await finishedRun(copy.id, 'webhook', 1);
			expect(execution.status).toBe('success');
			expect(await tables()).toHaveLength(1);
			const expected = toSimplifiedRow(event);
			expect(expected).toMatchObject({ ringResult: 'NoAnswer', answerType: null });
			const rows = await rowsOf(event.id);
			expect(rows).toHaveLength(1);
			expect(columnsOf(rows[0])).toEqual(columnsOf(expected));
		},
		60_000,
	);
});

describe(`run in n8n ${harness.N8N_VERSION} before any account is set (external nodes replaced by Edit Fields)`, () => {
	/** Each replaced node's values: every expression of the external node resolved, none empty. */
	function expectEveryExpressionResolved(
		copy: Template,
		execution: { status: string; nodes: Record<string, unknown[]> },
		starts: string[],
	) {
		expect(execution.status).toBe('success');
		for (const node of copy.json.nodes) {
			if (node.type !== 'n8n-nodes-base.set') continue;
			const reached = starts.some((start) => reachable(copy, start).has(node.name));
			if (!reached) continue;
			const [values] = execution.nodes[node.name] as Array<Record<string, unknown>>;
			const expected = (node.parameters.assignments as { assignments: Array<{ name: string }> })
				.assignments;
			expect(values).toBeDefined();
			for (const { name } of expected) {
				expect([node.name, name, values[name]]).toEqual([node.name, name, expect.anything()]);
				expect([node.name, name, String(values[name]).trim() !== '']).toEqual([
					node.name,
					name,
					true,
				]);
			}
		}
	}

	it.each(templates.filter(runsHere).map((t) => [t.file, t] as const))(
		'%s: "Execute workflow" runs every node on the pinned sample; every expression resolves',
		async (_file, template) => {
			const copy = checkedCopy(template);
			// Earlier tests may have run this copy already.
			const before = (await n8n.listExecutions(copy.id)).filter((e) => e.mode === 'manual');
			for (const [count, start] of Object.keys(template.json.pinData).entries()) {
				const answer = await executeWorkflow(copy.id, start);
				// Pinned: n8n runs at once, it does not wait for an event.
				expect(answer.waitingForWebhook).not.toBe(true);
				const execution = await finishedRun(copy.id, 'manual', before.length + count + 1);
				expect(execution.nodes[start]).toEqual(template.json.pinData[start].map((i) => i.json));
				expectEveryExpressionResolved(copy, execution, [start]);
			}
		},
		60_000,
	);

	it.each(templates.filter((t) => triggerOf(t) && runsHere(t)).map((t) => [t.file, t] as const))(
		'%s: published, a delivery runs on the real event, not the pinned sample',
		async (_file, template) => {
			const copy = liveCopy(template);
			const trigger = triggerOf(copy)!;
			const pinned = template.json.pinData[trigger.name][0].json;
			const type = String(pinned.eventType);
			const real = {
				...fixtureJson(type as 'CallEnded'),
				id: '019a0000-0000-7000-8000-00000000a11e',
			} as Record<string, any>;
			if (type === 'CallEnded') {
				// What the template's notes ask of the campaign: its variables, a No Answer call.
				Object.assign(real.data.campaign, { varNames: pinnedVariables(pinned) });
				Object.assign(real.data.callDetails, {
					varValues: pinnedVariables(pinned).map((name) => `real ${name}`),
					ringResult: pinned.ringResult,
				});
			}
			expect((await deliver(trigger.webhookId!, real)).status).toBe(200);
			const execution = await finishedRun(copy.id, 'webhook', 1);
			const [row] = execution.nodes[trigger.name] as Array<Record<string, unknown>>;
			expect(row.eventId).toBe(real.id);
			expect(row.eventId).not.toBe(pinned.eventId);
			expectEveryExpressionResolved(copy, execution, [trigger.name]);
		},
		60_000,
	);
});

describe(`no-answer-to-sms.json in n8n ${harness.N8N_VERSION}: the SMS log lets each event through once`, () => {
	// n8n 1.x has no Data table 1.1 (the template is imported and checked there, not run).
	const maybe = ON_N8N_1 ? it.skip : it;
	const logName = String(
		sms.json.nodes.find((node) => node.name === 'SMS Log Table')!.parameters.tableName,
	);
	const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

	maybe(
		'"Execute workflow" records the sample too: the first run on the pinned sample sends and records it, every later one stops at Not Sent Yet?',
		async () => {
			const copy = checkedCopy(sms);
			const manualRuns = async () =>
				(await n8n.listExecutions(copy.id)).filter((e) => e.mode === 'manual').length;
			// Two runs of our own (an earlier test may have run the copy once already).
			for (let run = 0; run < 2; run++) {
				const before = await manualRuns();
				expect((await executeWorkflow(copy.id, 'SIP Caller Trigger')).waitingForWebhook).not.toBe(
					true,
				);
				await finishedRun(copy.id, 'manual', before + 1);
			}
			const runs = (await n8n.listExecutions(copy.id, { withData: true }))
				.filter((e) => e.mode === 'manual')
				.reverse();
			expect(runs.length).toBeGreaterThanOrEqual(2);
			const [first, ...later] = runs;
			const pinned = sms.json.pinData['SIP Caller Trigger'][0].json;
			expect(first.status).toBe('success');
			expect(first.nodes['Not Sent Yet?']).toHaveLength(1);
			expect(first.nodes['Send SMS']).toHaveLength(1);
			expect(first.nodes['Record in SMS Log']).toEqual([
				expect.objectContaining({ eventId: pinned.eventId, number: pinned.number }),
			]);
			for (const run of later) {
				expect(run.status).toBe('success');
				expect(run.nodes['SIP Caller Trigger']).toEqual([pinned]);
				expect(run.nodes['Not Sent Yet?']).toEqual([]);
				expect(Object.keys(run.nodes)).not.toContain('Send SMS');
				expect(Object.keys(run.nodes)).not.toContain('Record in SMS Log');
			}
			expect(await tablesNamed(logName)).toHaveLength(1);
			expect(await rowsWithEventId(logName, pinned.eventId)).toHaveLength(1);
		},
		60_000,
	);

	maybe(
		"after an n8n restart, a second delivery of one event runs (the trigger's duplicate ledger is memory) and stops before Send SMS",
		async () => {
			const copy = smsToSinkCopy(sms, sink.url);
			const webhookId = triggerOf(copy)!.webhookId!;
			const event = noAnswerCall('019a0000-0000-7000-8000-000000000d0b');
			const row = toSimplifiedRow(event);

			expect((await deliver(webhookId, event)).status).toBe(200);
			expect(await sink.waitFor('/sms', 1)).toEqual([row]);
			const first = await finishedRun(copy.id, 'webhook', 1);
			expect(first.status).toBe('success');
			// Recorded after the SMS: its eventId, the number, when (a date column).
			const logged = await rowsWithEventId(logName, event.id);
			expect(logged).toEqual([
				expect.objectContaining({
					eventId: event.id,
					number: row.number,
					sentAt: expect.stringMatching(ISO),
				}),
			]);
			expect(Date.parse(String(logged[0].sentAt))).toBeGreaterThanOrEqual(
				Date.parse(first.startedAt) - 1000,
			);

			await n8n.stop();
			await n8n.start();
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${webhookId}/webhook`);

			const again = await deliver(webhookId, event);
			expect(again.status).toBe(200);
			expect(again.text).not.toMatch(/duplicate/);
			const second = await finishedRun(copy.id, 'webhook', 2);
			expect(second.status).toBe('success');
			expect(second.nodes['SIP Caller Trigger']).toEqual([row]);
			expect(second.nodes['Not Sent Yet?']).toEqual([]);
			expect(Object.keys(second.nodes)).not.toContain('Send SMS');
			expect(Object.keys(second.nodes)).not.toContain('Record in SMS Log');
			expect(await rowsWithEventId(logName, event.id)).toHaveLength(1);

			// The fence: a new event after that run has finished reaches the sink, and only it does.
			const control = noAnswerCall('019a0000-0000-7000-8000-00000000c0de');
			expect((await deliver(webhookId, control)).status).toBe(200);
			expect(await sink.waitFor('/sms', 2)).toEqual([row, toSimplifiedRow(control)]);
			expect((await finishedRun(copy.id, 'webhook', 3)).status).toBe('success');
			expect(await rowsWithEventId(logName, control.id)).toHaveLength(1);
		},
		240_000,
	);
});

/** The campaign variables a pinned Simplified row has (`var_<name>` fields). */
function pinnedVariables(row: Record<string, unknown>): string[] {
	return Object.keys(row)
		.filter((key) => key.startsWith('var_'))
		.map((key) => key.slice('var_'.length));
}

/** The names of the nodes a start node feeds, directly or further on. */
function reachable(template: Template, start: string): Set<string> {
	const names = new Set<string>();
	const visit = (name: string) => {
		for (const branch of template.json.connections[name]?.main ?? [])
			for (const { node } of branch ?? [])
				if (!names.has(node)) {
					names.add(node);
					visit(node);
				}
	};
	visit(start);
	return names;
}
