import fc from 'fast-check';

import { EVENT_TYPES } from '../../nodes/SipCaller/core';
import { peekEventHead } from '../../nodes/SipCaller/core/peek';
import { fixtureBytes, fixtureJson } from '../helpers/fixtures';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('peekEventHead', () => {
	it.each(EVENT_TYPES)('reads id and type of the %s sample as JSON.parse does', (type) => {
		const event = fixtureJson(type) as { id: string; type: string };
		expect(peekEventHead(fixtureBytes(type))).toEqual({ id: event.id, type: event.type });
		// Compact and indented alike.
		expect(peekEventHead(bytes(JSON.stringify(event)))).toEqual({ id: event.id, type: event.type });
		expect(peekEventHead(bytes(JSON.stringify(event, null, 2)))).toEqual({
			id: event.id,
			type: event.type,
		});
	});

	it('stops at the first nested value: a type after it is left to the full parse', () => {
		expect(peekEventHead(bytes('{"id":"e1","data":{"type":"X"},"type":"CallEnded"}'))).toEqual({
			id: 'e1',
		});
		expect(peekEventHead(bytes('{"tags":["type"],"type":"CallEnded"}'))).toEqual({});
	});

	it('reads the head of a body whose rest is cut off (the bytes SIP Caller signed)', () => {
		expect(peekEventHead(bytes('{"id":"e1","type":"CampaignPaused","data":{"camp'))).toEqual({
			id: 'e1',
			type: 'CampaignPaused',
		});
	});

	it('skips numbers, true, false and null, and keys that are neither id nor type', () => {
		expect(
			peekEventHead(
				bytes('{ "apiVersion" : 1.5e3 , "ok":true,"no":false,"x":null,"idx":"a","type":"T" }'),
			),
		).toEqual({ type: 'T' });
	});

	it.each([
		['an escape in a string', '{"type":"Call\\u0045nded"}'],
		['an escape in a key before the type', '{"a\\"b":1,"type":"CallEnded"}'],
		['a non-ASCII byte', '{"type":"Cäll"}'],
		['an array', '[{"type":"CallEnded"}]'],
		['a string', '"CallEnded"'],
		['nothing', ''],
		['a missing colon', '{"type" "CallEnded"}'],
		['a missing comma', '{"id":"e1" "type":"CallEnded"}'],
		['an unquoted key', '{type:"CallEnded"}'],
		['a bare word', '{"id":e1,"type":"CallEnded"}'],
		['a number JSON does not allow', '{"apiVersion":01,"type":"CallEnded"}'],
		['a misspelt literal', '{"ok":ture,"type":"CallEnded"}'],
		['an unterminated string', '{"type":"CallEnded'],
	])('gives up on %s (the body is then parsed as before)', (_what, text) => {
		expect(peekEventHead(bytes(text))).toBeUndefined();
	});

	it('an empty object has no head', () => {
		expect(peekEventHead(bytes(' { } '))).toEqual({});
	});

	it('a repeated key: the first one is read', () => {
		expect(peekEventHead(bytes('{"type":"A","type":"B"}'))).toEqual({ type: 'A' });
	});

	it('whatever it reads, JSON.parse reads the same (any object with unique keys)', () => {
		const scalar = fc.oneof(
			fc.string({ unit: 'binary-ascii' }),
			fc.integer(),
			fc.double({ noNaN: true, noDefaultInfinity: true }),
			fc.boolean(),
			fc.constant(null),
			fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
			fc.array(fc.integer(), { maxLength: 2 }),
		);
		const key = fc.oneof(fc.constantFrom('id', 'type', 'data', 'object'), fc.string());
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.tuple(key, scalar), { selector: ([k]) => k, maxLength: 6 }),
				fc.boolean(),
				(members, indent) => {
					const text = JSON.stringify(Object.fromEntries(members), null, indent ? 2 : 0);
					const head = peekEventHead(bytes(text));
					if (head === undefined) return;
					const parsed = JSON.parse(text) as Record<string, unknown>;
					if (head.type !== undefined) expect(head.type).toBe(parsed.type);
					if (head.id !== undefined) expect(head.id).toBe(parsed.id);
				},
			),
			{ numRuns: 2000 },
		);
	});
});
