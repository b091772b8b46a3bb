import { asRecord, splitList } from '../../nodes/SipCaller/core/json';

describe('splitList', () => {
	it('splits typed text on commas and new lines, trimmed, without empty entries', () => {
		expect(splitList('Campaign 1, Campaign 2,,\n Collections \n')).toEqual([
			'Campaign 1',
			'Campaign 2',
			'Collections',
		]);
	});

	it('keeps the text and number entries of a picked list, trimmed', () => {
		expect(splitList([' a ', '', 7, null, { id: 'x' }, 'b'])).toEqual(['a', '7', 'b']);
	});

	it('reads nothing from other values', () => {
		for (const value of [undefined, null, 42, {}, true]) expect(splitList(value)).toEqual([]);
	});
});

describe('asRecord', () => {
	it('reads an object as itself and anything else as an empty object', () => {
		const object = { a: 1 };
		expect(asRecord(object)).toBe(object);
		for (const value of [null, undefined, [1], 'text', 3]) expect(asRecord(value)).toEqual({});
	});
});
