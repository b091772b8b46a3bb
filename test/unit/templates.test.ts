/**
 * The templates in examples/ as files: on the newest versions of our nodes, each start node with a
 * pinned sample item, and every field a node maps present, non-empty, in that sample and in the
 * Simplified row of the real event it stands for (so a renamed Simplified key breaks this test, not
 * a user's sheet). What n8n does with them is test/e2e/templates.e2e.test.ts.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { toSimplifiedRow } from '../../nodes/SipCaller/core';
import { sampleEvent } from '../../nodes/SipCaller/core/samples';
import { SipCaller } from '../../nodes/SipCaller/SipCaller.node';
import { SipCallerTrigger } from '../../nodes/SipCaller/trigger/SipCallerTrigger.node';
import { fixtureJson } from '../helpers/fixtures';

const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');
const TRIGGER = 'n8n-nodes-sip-caller.sipCallerTrigger';
const NODE = 'n8n-nodes-sip-caller.sipCaller';
const SHEETS_TRIGGER = 'n8n-nodes-base.googleSheetsTrigger';
const STICKY = 'n8n-nodes-base.stickyNote';

interface Node {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}
interface Template {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	pinData?: Record<string, Array<{ json: Record<string, unknown> }>>;
}

const read = (file: string) =>
	JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Template;
const files = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));

/** A Call Ended event of a campaign with these variables (what the template's notes ask for). */
function callWithVariables(variables: Record<string, string>) {
	const event = fixtureJson('CallEnded') as any;
	event.data.campaign.varNames = Object.keys(variables);
	event.data.callDetails.varValues = Object.values(variables);
	return event as Record<string, unknown>;
}

/** A sample sheet row with the columns the Google Sheets templates name. */
const LEAD_ROW = {
	'Lead ID': 'L-1001',
	Name: 'Stefan Robertson',
	Phone: '+18035551004',
	Balance: '$99.00',
	row_number: 2,
};

/** The real event each template's trigger sample stands for (what SIP Caller would send). */
const REAL_EVENTS: Record<string, Record<string, unknown>> = {
	'call-ended-to-data-table.json': fixtureJson('CallEnded'),
	'call-ended-to-google-sheets.json': fixtureJson('CallEnded'),
	'call-ended-to-hubspot.json': callWithVariables({
		'Customer Name': 'Stefan Robertson',
		'Due Balance': '$99.00 ',
		Email: 'stefan.robertson@example.com',
	}),
	'campaign-finished-to-slack.json': fixtureJson('CampaignFinished'),
	'no-answer-to-sms.json': {
		// The trigger's own sample for Ring Results = No Answer, with the documented id and time.
		...sampleEvent('CallEnded', { events: ['CallEnded'], ringResults: ['NoAnswer'] }),
		id: fixtureJson('CallEnded').id,
		createdAt: fixtureJson('CallEnded').createdAt,
	},
	'google-sheets-leads-loop.json': callWithVariables({
		'Lead ID': 'L-1001',
		'Customer Name': 'Stefan Robertson',
		'Due Balance': '$99.00 ',
	}),
};

/**
 * Every field of `start`'s item a node maps: `$json.x`, `$json['x']` and `$json["x"]`, and the same
 * read through `$('<start>').item.json` (a node after another node reads the trigger's row so).
 */
function fieldsMapped(parameters: unknown, start = 'SIP Caller Trigger'): string[] {
	const text = JSON.stringify(parameters);
	const quote = String.raw`\\?['"]`; // ' or ", escaped inside the JSON string
	const escapedStart = start.replace(/[.*+?^$()|[\]\\{}]/g, (c) => `\\${c}`);
	const item = String.raw`(?:\$json|\$\(${quote}${escapedStart}${quote}\)\.item\.json)`;
	const key = String.raw`(?:\.([A-Za-z_]\w*)|\[${quote}([^'"\\]+)${quote}\])`;
	const fields = new Set<string>();
	for (const match of text.matchAll(new RegExp(item + key, 'g'))) fields.add(match[1] ?? match[2]);
	return [...fields];
}

/** The nodes a start node feeds, directly or further on. */
function downstream(template: Template, start: string): Node[] {
	const names = new Set<string>();
	const visit = (name: string) => {
		for (const branch of template.connections[name]?.main ?? []) {
			for (const { node } of branch ?? []) {
				if (!names.has(node)) {
					names.add(node);
					visit(node);
				}
			}
		}
	};
	visit(start);
	return template.nodes.filter((node) => names.has(node.name));
}

describe.each(files)('%s', (file) => {
	const template = read(file);
	const starts = template.nodes.filter((n) => n.type === TRIGGER || n.type === SHEETS_TRIGGER);

	it('uses the newest version of our nodes, Simplified output at the top level', () => {
		const triggerVersion = new SipCallerTrigger().description.defaultVersion;
		const nodeVersion = new SipCaller().description.version;
		for (const node of template.nodes) {
			if (node.type === TRIGGER) {
				expect(node.typeVersion).toBe(triggerVersion);
				expect(node.parameters.output).toBe('simplified');
				expect(node.parameters.options).not.toHaveProperty('output');
			}
			if (node.type === NODE) expect(node.typeVersion).toBe(nodeVersion);
		}
	});

	it('pins one sample item on each start node', () => {
		expect(starts.length).toBeGreaterThan(0);
		for (const start of starts) expect(template.pinData?.[start.name]).toHaveLength(1);
		expect(Object.keys(template.pinData ?? {}).sort()).toEqual(starts.map((s) => s.name).sort());
	});

	it("pins the trigger's Simplified row of the real event it stands for", () => {
		const trigger = starts.find((s) => s.type === TRIGGER);
		if (!trigger) return;
		expect(template.pinData?.[trigger.name]?.[0].json).toEqual(toSimplifiedRow(REAL_EVENTS[file]));
	});

	// Present as a key: a value may be null where the template has a fallback (Slack's "By:");
	// that every expression resolves to something is checked in a real n8n (templates.e2e).
	it('every field a node maps is a field of the pinned sample and of the real row', () => {
		for (const start of starts) {
			const pinned = template.pinData?.[start.name]?.[0].json ?? {};
			const real: Record<string, unknown> =
				start.type === TRIGGER ? toSimplifiedRow(REAL_EVENTS[file]) : LEAD_ROW;
			const fields = downstream(template, start.name).flatMap((node) =>
				fieldsMapped(node.parameters, start.name),
			);
			for (const field of fields) {
				expect([field, field in pinned]).toEqual([field, true]);
				expect([field, field in real]).toEqual([field, true]);
			}
		}
	});

	it('its note says the sample is pinned, how to use it, that production never uses it, how to unpin, and to check the credential', () => {
		const note = template.nodes.find((n) => n.type === STICKY)?.parameters.content as string;
		expect(note).toMatch(/holds? a pinned sample item/);
		expect(note).toMatch(/Open the next node: its input shows the sample/);
		// n8n starts no run while a node lacks its credential (seen in n8n 2.41.1's editor).
		expect(note).toMatch(
			/Once every node has its account, \*\*Execute workflow\*\* runs the workflow on the sample/,
		);
		expect(note).toMatch(/published, the workflow runs on the real events/);
		expect(note).toMatch(/click the pin icon above its output/);
		if (starts.some((s) => s.type === TRIGGER)) {
			expect(note).toMatch(
				/n8n may select an existing SIP Caller Webhook API credential by itself/,
			);
		}
	});
});

describe('call-ended-to-data-table.json', () => {
	const template = read('call-ended-to-data-table.json');
	const byType = (type: string) => template.nodes.filter((node) => node.type === type);
	const [create, insert] = byType('n8n-nodes-base.dataTable');
	const created = (create.parameters.columns as { column: Array<{ name: string; type: string }> })
		.column;
	const mapping = insert.parameters.columns as {
		mappingMode: string;
		value: Record<string, string>;
		schema: Array<{ id: string; type: string }>;
	};
	const row = toSimplifiedRow(REAL_EVENTS['call-ended-to-data-table.json']);

	it('creates its table if missing (Table > Create, Reuse Existing Tables), then inserts into it by name', () => {
		expect(template.connections['SIP Caller Trigger'].main[0][0].node).toBe(
			'Create Call Log Table',
		);
		expect(template.connections['Create Call Log Table'].main[0][0].node).toBe('Add Call to Log');
		expect(create).toMatchObject({
			name: 'Create Call Log Table',
			typeVersion: 1.1,
			parameters: { resource: 'table', operation: 'create', options: { createIfNotExists: true } },
		});
		// Row is the node's default resource, Insert its default operation.
		expect(insert).toMatchObject({
			name: 'Add Call to Log',
			typeVersion: 1.1,
			parameters: {
				dataTableId: { __rl: true, mode: 'name', value: create.parameters.tableName },
			},
		});
		expect(insert.parameters).not.toHaveProperty('resource');
		expect(insert.parameters).not.toHaveProperty('operation');
	});

	it('maps each column it creates from the Simplified field of the same name, in a type that holds its value', () => {
		const names = created.map((column) => column.name);
		expect(mapping.mappingMode).toBe('defineBelow');
		expect(Object.keys(mapping.value)).toEqual(names);
		expect(mapping.schema.map((field) => field.id)).toEqual(names);
		for (const { name, type } of created) {
			expect(mapping.value[name]).toBe(`={{ $('SIP Caller Trigger').item.json.${name} }}`);
			expect(mapping.schema.find((field) => field.id === name)!.type).toBe(
				type === 'date' ? 'dateTime' : type,
			);
			const value = row[name];
			if (type === 'number') expect([name, typeof value]).toEqual([name, 'number']);
			if (type === 'string') expect([name, typeof value]).toEqual([name, 'string']);
			if (type === 'date') expect([name, value]).toEqual([name, expect.stringMatching(/Z$/)]);
		}
		// What a supervisor looks at, eventId last to tell a repeat from a second call.
		expect(names).toEqual(
			expect.arrayContaining(['eventTime', 'campaignName', 'number', 'ringResult', 'outcome']),
		);
		expect(names).toEqual(expect.arrayContaining(['establishedSeconds', 'answerType', 'eventId']));
	});
});

describe('no-answer-to-sms.json', () => {
	const template = read('no-answer-to-sms.json');
	const byName = (name: string) => template.nodes.find((node) => node.name === name)!;
	const next = (name: string) => template.connections[name].main.map((b) => b.map((c) => c.node));
	const table = byName('SMS Log Table');
	const tableName = table.parameters.tableName;
	const eventId = "={{ $('SIP Caller Trigger').item.json.eventId }}";

	it('sends each event once: an SMS log in an n8n data table, checked before Send SMS and written after it', () => {
		expect(next('SIP Caller Trigger')).toEqual([['SMS Log Table']]);
		expect(next('SMS Log Table')).toEqual([['Not Sent Yet?']]);
		expect(next('Not Sent Yet?')).toEqual([['Send SMS']]);
		expect(next('Send SMS')).toEqual([['Record in SMS Log']]);
		expect(template.connections['Record in SMS Log']).toBeUndefined();
		// n8n's Remove Duplicates fails every run once its history is full (n8n 2.41.1).
		expect(template.nodes.map((node) => node.type)).not.toContain(
			'n8n-nodes-base.removeDuplicates',
		);

		// Table > Create, reusing the table after the first run; runs that create it at the same
		// moment go on (one of them made it).
		expect(table).toMatchObject({
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			onError: 'continueRegularOutput',
			parameters: {
				resource: 'table',
				operation: 'create',
				tableName: 'SIP Caller SMS log',
				columns: {
					column: [
						{ name: 'eventId', type: 'string' },
						{ name: 'number', type: 'string' },
						{ name: 'sentAt', type: 'date' },
					],
				},
				options: { createIfNotExists: true },
			},
		});
		// Row > If Row Does Not Exist passes the item on only when no row has its eventId (the
		// condition is Equals: Data table 1.1 hides it for this operation).
		expect(byName('Not Sent Yet?')).toMatchObject({
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			parameters: {
				operation: 'rowNotExists',
				dataTableId: { __rl: true, mode: 'name', value: tableName },
				filters: { conditions: [{ keyName: 'eventId', keyValue: eventId }] },
			},
		});
		expect(byName('Not Sent Yet?').parameters).not.toHaveProperty('resource');
		expect(byName('Not Sent Yet?').parameters).not.toHaveProperty('matchType');
		// Row > Insert (the node's defaults) into the same table.
		const record = byName('Record in SMS Log');
		expect(record).toMatchObject({
			type: 'n8n-nodes-base.dataTable',
			typeVersion: 1.1,
			parameters: {
				dataTableId: { __rl: true, mode: 'name', value: tableName },
				columns: {
					mappingMode: 'defineBelow',
					value: {
						eventId,
						number: "={{ $('SIP Caller Trigger').item.json.number }}",
						sentAt: '={{ $now.toISO() }}',
					},
				},
			},
		});
		expect(record.parameters).not.toHaveProperty('resource');
		expect(record.parameters).not.toHaveProperty('operation');
		const schema = (record.parameters.columns as { schema: Array<{ id: string; type: string }> })
			.schema;
		expect(schema.map(({ id, type }) => ({ id, type }))).toEqual([
			{ id: 'eventId', type: 'string' },
			{ id: 'number', type: 'string' },
			{ id: 'sentAt', type: 'dateTime' },
		]);
	});

	it("maps Send SMS from the trigger's item (the node before it passes on the table's)", () => {
		const send = byName('Send SMS');
		expect(send.parameters.to).toBe("={{ $('SIP Caller Trigger').item.json.number }}");
		expect(send.parameters.message).toContain(
			`{{ $('SIP Caller Trigger').item.json["var_Customer Name"] }}`,
		);
		expect(JSON.stringify(send.parameters)).not.toContain('$json');
	});

	it("its note says when an SMS can be sent twice, and the data tables' limit", () => {
		const note = template.nodes.find((n) => n.type === STICKY)?.parameters.content as string;
		expect(note).not.toMatch(/Skip Repeated Events|Remove Duplicates|History Size/);
		expect(note).toMatch(/after \*\*Send SMS\*\*/);
		expect(note).toMatch(/SIP Caller's next delivery of that event sends a second SMS/);
		expect(note).toMatch(/at the very same moment can both pass the check/);
		expect(note).toMatch(/docs\/delivery\.md/);
		expect(note).toMatch(/N8N_DATA_TABLES_MAX_SIZE_BYTES/);
		expect(note).toMatch(/Row > Delete/);
	});
});

describe('fieldsMapped', () => {
	it.each([
		['={{ $json.number }}', ['number']],
		['={{ $json["var_Customer Name"] }} {{ $json.outcome }}', ['var_Customer Name', 'outcome']],
		["={{ $json['var_Lead ID'] }}", ['var_Lead ID']],
		["={{ $('SIP Caller Trigger').item.json.eventTime }}", ['eventTime']],
		[`={{ $('SIP Caller Trigger').item.json["var_Lead ID"] }}`, ['var_Lead ID']],
		["={{ $('Another Node').item.json.number }}", []],
		['plain text', []],
	])('%p → %p', (value, fields) => {
		expect(fieldsMapped({ value })).toEqual(fields);
	});
});
