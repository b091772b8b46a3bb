/**
 * What the README says of the trigger is what the node is. Its Simplified output section: every
 * key it names is a key of the row, every value its table shows is that key's value for SIP Caller's
 * sample, and every key of a row is named (so a new or renamed key cannot go undocumented). Its
 * parameter table: each row's label and internal name are a parameter (or option) of the node.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import { toSimplifiedRow } from '../../nodes/SipCaller/core/simplified-row';
import { CAMPAIGN_EVENT_TYPES } from '../../nodes/SipCaller/core/events';
import { SipCallerTrigger } from '../../nodes/SipCaller/trigger/SipCallerTrigger.node';
import { fixtureJson } from '../helpers/fixtures';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = README.slice(
	README.indexOf('### Simplified output'),
	README.indexOf('\n## ', README.indexOf('### Simplified output')),
);
const [tablePart, campaignPart] = section.split('**Campaign events**');

/** Backticked names in a piece of Markdown. */
const codes = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** The table's rows: the keys of the first column, the values of the second (a cell per key). */
const tableRows = tablePart
	.split('\n')
	.filter((line) => line.startsWith('| `'))
	.map((line) => {
		const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
		return { keys: codes(cells[1]), values: codes(cells[2].replace(/\\\|/g, '|')) };
	});

describe('README: Simplified output', () => {
	const callRow = toSimplifiedRow(fixtureJson('CallEnded'));

	it('names every key of the sample CallEnded row, and no other', () => {
		const named = tableRows.flatMap((row) => row.keys);
		expect([...named].sort()).toEqual(Object.keys(callRow).sort());
	});

	it("shows each key's value for the sample (an abbreviated id shows its start)", () => {
		const shown = tableRows.flatMap((row) =>
			row.keys.length === row.values.length
				? row.keys.map((key, i) => [key, row.values[i]] as const)
				: [],
		);
		expect(shown.length).toBeGreaterThan(25);
		for (const [key, value] of shown) {
			const actual = String(callRow[key]);
			if (value.includes('…')) {
				const [head, tail] = value.split('…');
				expect(actual.startsWith(head) && actual.endsWith(tail)).toBe(true);
			} else expect([key, actual]).toEqual([key, value]);
		}
	});

	it.each(CAMPAIGN_EVENT_TYPES)('names every key of a %s row, and no other', (type) => {
		const named = codes(campaignPart.slice(0, campaignPart.indexOf('An event type')));
		const keys = Object.keys(toSimplifiedRow(fixtureJson(type)));
		expect(keys.filter((key) => !named.includes(key))).toEqual([]);
		expect(named.filter((key) => !keys.includes(key) && key !== 'null')).toEqual([]);
	});
});

describe("README: the trigger's parameters", () => {
	const properties = new SipCallerTrigger().description.properties;
	const options = properties.find((p) => p.name === 'options')?.options ?? [];
	/** Display name → internal name, for the top-level parameters and the Options collection. */
	const named = new Map<string, string>();
	for (const p of [...properties, ...options] as Array<{ displayName?: string; name: string }>)
		if (p.displayName) named.set(`${p.displayName}|${p.name}`, p.name);

	const rows = README.slice(README.indexOf('| Parameter'), README.indexOf('### Delivery'))
		.split('\n')
		.filter((line) => /^\| (Options > )?\*\*/.test(line))
		.map((line) => line.split('|')[1]);

	it('has a row for every parameter and option a user sets', () => {
		const table = rows.join(' ');
		const settable = [...properties, ...options].filter(
			(p) => 'type' in p && p.type !== 'notice' && p.name !== 'options',
		) as Array<{ name: string }>;
		expect(settable.length).toBeGreaterThanOrEqual(10);
		expect(settable.map((p) => p.name).filter((name) => !table.includes(`(\`${name}\``))).toEqual(
			[],
		);
	});

	it.each(rows.map((row) => [row.trim(), row]))('%s is a parameter of the node', (_label, row) => {
		const pairs = [...row.matchAll(/\*\*([^*]+)\*\* \(`([^`]+)`/g)];
		expect(pairs.length).toBeGreaterThan(0);
		for (const [, label, name] of pairs) expect(named.has(`${label}|${name}`)).toBe(true);
	});
});
