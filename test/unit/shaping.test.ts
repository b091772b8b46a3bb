import { durationToSeconds, parseGatheredData, toIsoUtc } from '../../nodes/SipCaller/core';

describe('durationToSeconds', () => {
	it.each([
		['00:00:21.34', 21.34],
		['00:00:04.256', 4.256],
		['00:00:17.084', 17.084],
		['00:00:00', 0],
		['00:01:21.34', 81.34],
		['01:00:00.5', 3600.5],
		['1.02:03:04.5', 93784.5],
		['00:00:00.0000001', 0.0000001],
		['-00:00:01.5', -1.5],
		[' 00:00:02 ', 2],
	])('%p → %p', (input, seconds) => {
		expect(durationToSeconds(input)).toBe(seconds);
	});

	it.each([null, undefined, '', '21.34', '00:21.34', '00:60:00', '00:00:60', 'abc', '00:00:1a'])(
		'%p → null',
		(input) => {
			expect(durationToSeconds(input as string)).toBeNull();
		},
	);
});

describe('toIsoUtc', () => {
	it.each([
		['2024-10-12T23:56:52.78', '2024-10-12T23:56:52.780Z'],
		['2024-10-12T23:47:48.133', '2024-10-12T23:47:48.133Z'],
		['2024-10-12T23:47:48', '2024-10-12T23:47:48.000Z'],
		['2024-10-12T23:47:48.1339999', '2024-10-12T23:47:48.133Z'],
		['2024-10-12T23:59:59.9999', '2024-10-12T23:59:59.999Z'],
		['2024-10-12T23:47:48.133Z', '2024-10-12T23:47:48.133Z'],
		['2024-10-12T20:47:48.133-03:00', '2024-10-12T23:47:48.133Z'],
	])('%p → %p', (input, iso) => {
		expect(toIsoUtc(input)).toBe(iso);
	});

	it('does not depend on the machine time zone', () => {
		const tz = process.env.TZ;
		process.env.TZ = 'America/Argentina/Buenos_Aires';
		try {
			expect(toIsoUtc('2024-10-12T23:56:52.78')).toBe('2024-10-12T23:56:52.780Z');
		} finally {
			process.env.TZ = tz;
		}
	});

	it.each([
		null,
		undefined,
		'',
		'2024-10-12',
		'yesterday',
		'2024-13-45T99:99:99',
		'2024-10-12 23:56',
	])('%p → null', (input) => {
		expect(toIsoUtc(input as string)).toBeNull();
	});
});

describe('parseGatheredData', () => {
	it('reads the documented example', () => {
		expect(parseGatheredData('Question1=4|Question2=1')).toEqual({
			Question1: '4',
			Question2: '1',
		});
	});

	it.each([null, undefined, '', '   ', '|', '||'])('%p → {}', (input) => {
		expect(parseGatheredData(input as string)).toEqual({});
	});

	it('keeps = inside values', () => {
		expect(parseGatheredData('url=https://x.test/?a=b|q=1')).toEqual({
			url: 'https://x.test/?a=b',
			q: '1',
		});
	});

	it('reads a pair without = as a key with an empty value', () => {
		expect(parseGatheredData('Skipped|Question2=1')).toEqual({ Skipped: '', Question2: '1' });
	});

	it('skips empty pairs and empty keys', () => {
		expect(parseGatheredData('a=1||=5| =6|b=2|')).toEqual({ a: '1', b: '2' });
	});

	it('keeps the last value of a repeated key, in the place of its first answer', () => {
		const answers = parseGatheredData('Q1=1|Q2=2|Q1=3');
		expect(answers).toEqual({ Q1: '3', Q2: '2' });
		expect(Object.keys(answers)).toEqual(['Q1', 'Q2']);
	});

	it('trims keys and keeps values as written', () => {
		expect(parseGatheredData(' Q1 = yes ')).toEqual({ Q1: ' yes ' });
	});

	it('cannot pollute prototypes', () => {
		const answers = parseGatheredData('__proto__=x|constructor=y');
		expect(Object.keys(answers)).toEqual(['__proto__', 'constructor']);
		expect(({} as Record<string, unknown>).x).toBeUndefined();
		expect(Object.getPrototypeOf(answers)).toBe(Object.prototype);
	});
});
