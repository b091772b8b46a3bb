import fc from 'fast-check';

import {
	durationToSeconds,
	parseGatheredData,
	toIsoUtc,
	toSimplifiedRow,
} from '../../nodes/SipCaller/core';
import { fixtureJson } from '../helpers/fixtures';
import { SIMPLIFIED_CALL_ENDED } from '../helpers/simplified';

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

describe('toIsoUtc without a Date for plainly valid UTC times', () => {
	/** What toIsoUtc computed for every input before it had a path without Date. */
	function throughDate(value: string): string | null {
		const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
		if (!match) return null;
		const [, dateTime, fraction = '', zone = 'Z'] = match;
		const millis = fraction ? `.${fraction.slice(1, 4).padEnd(3, '0')}` : '.000';
		const date = new Date(`${dateTime}${millis}${zone}`);
		return Number.isNaN(date.getTime()) ? null : date.toISOString();
	}
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');

	it('agrees with Date on every field, in range or not (rolled-over days, hour 24, minute 60)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 9999 }),
				fc.integer({ min: 0, max: 13 }),
				fc.integer({ min: 0, max: 32 }),
				fc.integer({ min: 0, max: 25 }),
				fc.integer({ min: 0, max: 60 }),
				fc.integer({ min: 0, max: 60 }),
				fc.constantFrom('', '.7', '.78', '.133', '.1339999', 'Z', '.5Z', '+02:00'),
				(y, mo, d, h, mi, s, tail) => {
					const input = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${tail}`;
					expect([input, toIsoUtc(input)]).toEqual([input, throughDate(input)]);
				},
			),
			{ numRuns: 5000, seed: 11 },
		);
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

describe('toSimplifiedRow', () => {
	const flat = (row: Record<string, unknown>) =>
		Object.values(row).every(
			(v) => v === null || ['string', 'number', 'boolean'].includes(typeof v),
		);

	it('turns the sample CallEnded into the documented row, field by field', () => {
		expect(toSimplifiedRow(fixtureJson('CallEnded'))).toEqual(SIMPLIFIED_CALL_ENDED);
	});

	it('keeps our keys when a variable or answer has the same name', () => {
		const json = fixtureJson('CallEnded') as any;
		json.data.campaign.varNames = ['number', 'outcome'];
		json.data.callDetails.varValues = ['x', 'y'];
		json.data.callDetails.gatheredData = 'number=9|eventId=1';
		const row = toSimplifiedRow(json);
		expect(row).toMatchObject({
			number: '18035551004',
			outcome: 'Success',
			var_number: 'x',
			var_outcome: 'y',
			answer_number: '9',
			answer_eventId: '1',
			eventId: json.id,
		});
	});

	it('reads an unanswered call with nulls and fewer values than variable names', () => {
		const json = fixtureJson('CallEnded') as any;
		Object.assign(json.data.callDetails, {
			ringResult: 'NoAnswer',
			answeredAt: null,
			answerType: null,
			callflow: null,
			lastAction: null,
			duration: { setup: '00:00:30.01', established: null, total: '00:00:30.01' },
			gatheredData: null,
			varValues: ['Stefan Robertson'],
			retryAt: '2024-10-13T00:18:50.82',
		});
		const row = toSimplifiedRow(json);
		expect(row).toMatchObject({
			ringResult: 'NoAnswer',
			answeredAt: null,
			callflowName: null,
			lastActionType: null,
			establishedSeconds: null,
			totalSeconds: 30.01,
			retryAt: '2024-10-13T00:18:50.820Z',
			gatheredData: null,
			'var_Customer Name': 'Stefan Robertson',
			'var_Due Balance': null,
		});
		expect(Object.keys(row).filter((k) => k.startsWith('answer_'))).toEqual([]);
		expect(flat(row)).toBe(true);
	});

	it.each(['CampaignActivated', 'CampaignPaused', 'CampaignResumed', 'CampaignCanceled'] as const)(
		'turns %s into a flat campaign row with who did it',
		(type) => {
			const json = fixtureJson(type) as any;
			const row = toSimplifiedRow(json);
			expect(flat(row)).toBe(true);
			expect(row).toMatchObject({
				eventType: type,
				campaignName: 'Campaign 1',
				campaignStatus: json.data.campaign.status,
				campaignType: 'Static',
				dialerMode: 'Power',
				startDate: json.data.campaign.startDate,
				timeZone: 'America/Argentina/Buenos_Aires',
				callflowForHuman: 'Survey',
				callflowForMachine: null,
				variableNames: 'Customer Name, Due Balance',
				changedByName: 'John Doe',
				changedByEmail: 'john.doe@example.com',
				changedFromIp: json.data.origin.ipAddress,
			});
		},
	);

	it('leaves who-did-it empty when SIP Caller itself finished the campaign', () => {
		expect(toSimplifiedRow(fixtureJson('CampaignFinished'))).toMatchObject({
			campaignStatus: 'Finished',
			campaignStartedAt: '2024-10-12T23:48:05.603Z',
			campaignEndedAt: '2024-10-13T18:48:05.526Z',
			changedByName: null,
			changedByEmail: null,
			changedById: null,
			changedFromIp: null,
		});
	});

	it('flattens an unknown event type, arrays as JSON text', () => {
		const row = toSimplifiedRow({
			id: 'e1',
			type: 'CallTransferred',
			createdAt: '2024-10-12T23:47:48.13',
			data: { customer: { id: 'c', name: 'n' }, transfer: { to: '123', tags: ['a', 'b'] } },
		});
		expect(row).toEqual({
			eventId: 'e1',
			eventType: 'CallTransferred',
			eventTime: '2024-10-12T23:47:48.130Z',
			customerId: 'c',
			customerName: 'n',
			customer_id: 'c',
			customer_name: 'n',
			transfer_to: '123',
			transfer_tags: '["a","b"]',
		});
	});

	it('never throws on odd shapes', () => {
		for (const odd of [
			{},
			{ type: 'CallEnded' },
			{ type: 'CampaignPaused', data: 5 },
			{ type: 'X', data: null },
		]) {
			expect(() => toSimplifiedRow(odd)).not.toThrow();
		}
		expect(
			toSimplifiedRow({ type: 'CallEnded', data: { callDetails: { varValues: 'x' } } }),
		).toMatchObject({
			eventType: 'CallEnded',
			number: null,
		});
	});
});
