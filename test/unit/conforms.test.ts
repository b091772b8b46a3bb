import fc from 'fast-check';
import { z } from 'zod';

import {
	EVENT_TYPES,
	callEndedSchema,
	campaignActivatedSchema,
	campaignCanceledSchema,
	campaignFinishedSchema,
	campaignPausedSchema,
	campaignResumedSchema,
	genericEventSchema,
	parseEvent,
} from '../../nodes/SipCaller/core';
import { compile } from '../../nodes/SipCaller/core/conforms';
import { ALL_FIXTURES, fixtureJson } from '../helpers/fixtures';

const SCHEMA_OF: Record<string, z.ZodTypeAny> = {
	CallEnded: callEndedSchema,
	CampaignActivated: campaignActivatedSchema,
	CampaignPaused: campaignPausedSchema,
	CampaignResumed: campaignResumedSchema,
	CampaignCanceled: campaignCanceledSchema,
	CampaignFinished: campaignFinishedSchema,
};
const schemaFor = (json: unknown): z.ZodTypeAny => {
	const type = (json as { type?: unknown }).type;
	return typeof type === 'string' && type in SCHEMA_OF ? SCHEMA_OF[type] : genericEventSchema;
};

describe('compile: the zod schemas as plain predicates', () => {
	it.each(ALL_FIXTURES)('compiles the %s schema and accepts its fixture', (type) => {
		const conforms = compile(SCHEMA_OF[type]);
		expect(conforms).toBeDefined();
		expect(conforms?.(fixtureJson(type))).toBe(true);
	});

	it('compiles the generic envelope', () => {
		const event = { ...fixtureJson('CallEnded'), type: 'CallRecorded' };
		expect(compile(genericEventSchema)?.(event)).toBe(true);
		expect(compile(genericEventSchema)?.({ ...event, data: [] })).toBe(false);
	});

	it('compiles nothing for a kind or check it does not handle (zod then checks every event)', () => {
		expect(compile(z.string().email())).toBeUndefined();
		expect(compile(z.object({ a: z.string() }).strict())).toBeUndefined();
		expect(compile(z.object({ a: z.string() }).catchall(z.number()))).toBeUndefined();
		expect(compile(z.object({ a: z.string().transform((s) => s.length) }))).toBeUndefined();
		expect(compile(z.array(z.string()).min(1))).toBeUndefined();
		expect(compile(z.number().positive())).toBeUndefined();
		expect(compile(z.coerce.string())).toBeUndefined();
		expect(compile({})).toBeUndefined();
		expect(compile(null)).toBeUndefined();
	});

	it('follows zod on the edges of each kind it handles', () => {
		const cases: Array<[z.ZodTypeAny, unknown[]]> = [
			[z.string().min(1), ['', 'a', 1, null, undefined]],
			[z.string().regex(/^a+$/g), ['aa', 'aa', 'b', '']],
			[z.number().int(), [1, 1.5, NaN, Infinity, '1', null]],
			[z.number(), [NaN, -0, 1e308, '1']],
			[z.literal('x'), ['x', 'y', undefined]],
			[z.array(z.string()).nullable(), [null, [], ['a'], [1], 'a', undefined]],
			[z.record(z.unknown()), [{}, { a: 1 }, [], null, new Date(0), Object.create(null)]],
			[
				z.object({ a: z.string().nullable() }).passthrough(),
				[{ a: null }, { a: 'x', b: 1 }, {}, { a: undefined }, [], new Map()],
			],
		];
		for (const [schema, values] of cases) {
			const conforms = compile(schema);
			expect(conforms).toBeDefined();
			for (const value of values) {
				expect([value, conforms?.(value)]).toEqual([value, schema.safeParse(value).success]);
			}
		}
	});
});

/** Every path in a JSON value (keys and indexes), the root excluded. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
	if (typeof value !== 'object' || value === null) return [];
	const entries = Array.isArray(value)
		? value.map((v, i) => [i, v] as const)
		: Object.entries(value).map(([k, v]) => [k, v] as const);
	return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

const REPLACEMENTS: unknown[] = [
	null,
	'',
	'x',
	'CallEnded',
	'CampaignPaused',
	'2024-10-12',
	'2024-10-12T23:48:05.603',
	'00:00:21.34',
	0,
	1.5,
	-1,
	true,
	[],
	{},
	['a'],
	[null],
	[1],
	{ id: 'a', name: null },
];

const mutation = fc.record({
	at: fc.nat(),
	op: fc.constantFrom('delete', 'replace', 'addKey'),
	with: fc.nat({ max: REPLACEMENTS.length - 1 }),
});

/** Applies one mutation to a (copied) event at the at-th path, modulo the number of paths. */
function mutate(event: unknown, m: { at: number; op: string; with: number }): void {
	const all = paths(event);
	const path = all[m.at % all.length];
	let parent = event as Record<string | number, unknown>;
	for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
	const last = path[path.length - 1];
	const replacement: unknown = JSON.parse(JSON.stringify(REPLACEMENTS[m.with]));
	if (m.op === 'delete' && !Array.isArray(parent)) delete parent[last];
	else if (m.op === 'addKey' && typeof parent[last] === 'object' && parent[last] !== null) {
		(parent[last] as Record<string, unknown>).extra = replacement;
	} else parent[last] = replacement;
}

describe('compiled predicate and zod agree on mutated events', () => {
	it('for the fixtures with up to 3 mutations, of every type and of unknown types', () => {
		let rejected = 0;
		fc.assert(
			fc.property(
				fc.constantFrom(...ALL_FIXTURES),
				fc.array(mutation, { minLength: 1, maxLength: 3 }),
				(type, mutations) => {
					const event = fixtureJson(type);
					for (const m of mutations) mutate(event, m);
					const schema = schemaFor(event);
					const zodSays = schema.safeParse(event).success;
					expect(compile(schema)?.(event)).toBe(zodSays);
					// parseEvent, which asks the predicate first, reports issues exactly when zod fails
					const parsed = parseEvent(event);
					expect(parsed.ok && parsed.issues.length === 0).toBe(zodSays);
					if (!zodSays) rejected++;
				},
			),
			{ numRuns: 3000, seed: 7 },
		);
		// the mutations do break events (the property is not only ever about valid ones)
		expect(rejected).toBeGreaterThan(1000);
	});

	it('an event with a schema issue still lists it (the predicate never hides one)', () => {
		const event = fixtureJson('CallEnded') as any;
		event.data.callDetails.attempt = 1.5;
		const parsed = parseEvent(event);
		expect(parsed).toMatchObject({
			ok: true,
			known: true,
			issues: [{ path: 'data.callDetails.attempt' }],
		});
	});

	it('knows every documented event type', () => {
		expect(Object.keys(SCHEMA_OF).sort()).toEqual([...EVENT_TYPES].sort());
	});
});
