/**
 * The ready-made workflows in examples/ in a real n8n: each file imported as it is (with the
 * `n8n import:workflow` command, and through the REST call the editor makes when a user imports a
 * file and saves it), then read back to check that n8n stored every node unchanged, that every
 * node type is one n8n has loaded and that every node's typeVersion is one that type has.
 *
 * The trigger's parameters are checked in the JSON only: what they do is the trigger suite's job.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { signPayload } from '../../nodes/SipCaller/core';
import { fixtureJson } from '../helpers/fixtures';
import { freePortPair, harness, REPO_DIR, type N8nInstance } from './harness';

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
};
const SHEETS_TRIGGER = 'n8n-nodes-base.googleSheetsTrigger';
const SIP_CALLER = 'n8n-nodes-sip-caller.sipCaller';
const EXPECTED: Record<string, Flow[]> = {
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
			next: 'n8n-nodes-base.twilio',
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
 * The template as it runs before the user has any account: each node after a start node (those
 * need an account: Google Sheets, Slack, Twilio, HubSpot, SIP Caller's API) replaced by an Edit
 * Fields (Set) node of the same name that evaluates the node's own expressions, so the run shows
 * what the external node would have been given. The trigger gets a credential and a webhook id of
 * its own, so the copy can also be published and sent a real event.
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
		if (starts.has(node.name) || node.type === STICKY_TYPE) return node;
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

let n8n: N8nInstance;
/** GET /types/nodes.json as the owner: every node type n8n loaded, one entry per description. */
let nodeTypeEntries: NodeTypeEntry[];

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
		const copies = templates.map(checkedCopy);
		const live = templates.filter((t) => triggerOf(t)).map(liveCopy);
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
});

describe('the files in examples/', () => {
	it('are the six templates', () => {
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

describe(`run in n8n ${harness.N8N_VERSION} before any account is set (external nodes replaced by Edit Fields)`, () => {
	/** The copy's execution of `mode` once it has finished (newest first), with its data. */
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

	it.each(templates.map((t) => [t.file, t] as const))(
		'%s: "Execute workflow" runs every node on the pinned sample; every expression resolves',
		async (_file, template) => {
			const copy = checkedCopy(template);
			for (const [count, start] of Object.keys(template.json.pinData).entries()) {
				const workflowData = await n8n.rest('GET', `/rest/workflows/${copy.id}`);
				// What the editor sends for "Execute workflow" from that trigger.
				const answer = (await n8n.rest('POST', `/rest/workflows/${copy.id}/run`, {
					workflowData,
					triggerToStartFrom: { name: start },
				})) as { waitingForWebhook?: boolean; executionId?: string };
				// Pinned: n8n runs at once, it does not wait for an event.
				expect(answer.waitingForWebhook).not.toBe(true);
				const execution = await finishedRun(copy.id, 'manual', count + 1);
				expect(execution.nodes[start]).toEqual(template.json.pinData[start].map((i) => i.json));
				expectEveryExpressionResolved(copy, execution, [start]);
			}
		},
		60_000,
	);

	it.each(templates.filter((t) => triggerOf(t)).map((t) => [t.file, t] as const))(
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
			const body = JSON.stringify(real);
			const response = await fetch(`${n8n.baseUrl}/webhook/${trigger.webhookId}/webhook`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'sip-caller-signature': signPayload(body, CHECK_SECRET),
				},
				body,
			});
			expect(response.status).toBe(200);
			const execution = await finishedRun(copy.id, 'webhook', 1);
			const [row] = execution.nodes[trigger.name] as Array<Record<string, unknown>>;
			expect(row.eventId).toBe(real.id);
			expect(row.eventId).not.toBe(pinned.eventId);
			expectEveryExpressionResolved(copy, execution, [trigger.name]);
		},
		60_000,
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
