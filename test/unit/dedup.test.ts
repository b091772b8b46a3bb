import { decide, signPayload } from '../../nodes/SipCaller/core';
import { dedupWindowSeconds, mergeSeen, wasSeen } from '../../nodes/SipCaller/core/dedup';
import { fixtureBytes } from '../helpers/fixtures';

const NOW = 1_800_000_000_000;

describe('seen events', () => {
	it('remembers ids for the window only', () => {
		expect(wasSeen({ a: NOW - 1000 }, 'a', NOW, 60)).toBe(true);
		expect(wasSeen({ a: NOW - 61_000 }, 'a', NOW, 60)).toBe(false);
		expect(wasSeen({}, 'a', NOW, 60)).toBe(false);
	});

	it('uses the maximum event age as the window, 7 days without a limit', () => {
		expect(dedupWindowSeconds(86400)).toBe(86400);
		expect(dedupWindowSeconds(0)).toBe(7 * 86400);
	});

	it('merges records, drops expired ids, keeps the newest and the latest time', () => {
		const merged = mergeSeen(
			[
				{ a: NOW - 5, old: NOW - 120_000 },
				{ a: NOW - 1, b: NOW - 2, bad: 'x' as never },
			],
			NOW,
			60,
			10,
		);
		expect(merged).toEqual({ a: NOW - 1, b: NOW - 2 });
		expect(Object.keys(mergeSeen([{ a: NOW - 3, b: NOW - 1, c: NOW - 2 }], NOW, 60, 2))).toEqual([
			'b',
			'c',
		]);
	});
});

describe('decide with duplicates', () => {
	const body = fixtureBytes('CallEnded');
	const secret = 'ab'.repeat(32);
	const base = {
		rawBody: body,
		signatureHeader: signPayload(body, secret, NOW / 1000),
		secrets: [secret],
		now: NOW,
	};

	it('ignores a seen event id with 200 "duplicate"', () => {
		expect(decide({ ...base, options: { events: ['*'] }, alreadySeen: () => true })).toEqual({
			action: 'ignore',
			status: 200,
			reason: 'duplicate',
			message: 'duplicate: event 01928322-860c-77f9-9c3b-7f8abe3b6afd was already received',
			eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
			eventType: 'CallEnded',
		});
	});

	it('accepts it with deduplicate off, or when not seen', () => {
		expect(
			decide({ ...base, options: { events: ['*'], deduplicate: false }, alreadySeen: () => true }),
		).toMatchObject({
			action: 'accept',
		});
		expect(decide({ ...base, options: { events: ['*'] }, alreadySeen: () => false })).toMatchObject(
			{ action: 'accept' },
		);
	});

	it('checks signatures before duplicates: a forged copy is 401, not "duplicate"', () => {
		expect(
			decide({
				...base,
				secrets: ['cd'.repeat(32)],
				options: { events: ['*'] },
				alreadySeen: () => true,
			}),
		).toMatchObject({ action: 'reject', status: 401 });
	});
});
