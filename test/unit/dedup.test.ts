import { decide } from '../../nodes/SipCaller/core/delivery';
import {
	DeliveryLedger,
	dedupWindowSeconds,
	MAX_REMEMBERED_EVENTS,
} from '../../nodes/SipCaller/core/dedup';
import { signPayload } from '../../nodes/SipCaller/core/signature';
import { fixtureBytes } from '../helpers/fixtures';

const NOW = 1_728_776_932_000;

describe('DeliveryLedger', () => {
	it('none → running once claimed → done once answered 2xx', () => {
		const ledger = new DeliveryLedger(60);
		expect(ledger.earlierDelivery('a', NOW)).toBe('none');
		const claim = ledger.claim('a', NOW);
		expect(ledger.earlierDelivery('a', NOW + 1)).toBe('running');
		ledger.settle('a', claim, true, NOW + 2);
		expect(ledger.earlierDelivery('a', NOW + 3)).toBe('done');
		expect(ledger.earlierDelivery('b', NOW + 3)).toBe('none');
	});

	it('an answer other than 2xx releases the id: the retry runs', () => {
		const ledger = new DeliveryLedger(60);
		const claim = ledger.claim('a', NOW);
		ledger.settle('a', claim, false, NOW + 1);
		expect(ledger.earlierDelivery('a', NOW + 2)).toBe('none');
		expect(ledger.size).toBe(0);
	});

	it('a caller hanging up releases a running claim; a 2xx that comes later still marks it done', () => {
		const ledger = new DeliveryLedger(60);
		const claim = ledger.claim('a', NOW);
		ledger.release('a', claim);
		expect(ledger.earlierDelivery('a', NOW + 1)).toBe('none');
		ledger.settle('a', claim, true, NOW + 2);
		expect(ledger.earlierDelivery('a', NOW + 3)).toBe('done');
		// Releasing changes nothing once answered, nor for a claim that was replaced.
		ledger.release('a', claim);
		expect(ledger.earlierDelivery('a', NOW + 4)).toBe('done');
		const b1 = ledger.claim('b', NOW);
		ledger.release('b', b1);
		const b2 = ledger.claim('b', NOW + 5);
		ledger.release('b', b1);
		ledger.settle('b', b1, false, NOW + 6);
		expect(ledger.earlierDelivery('b', NOW + 7)).toBe('running');
		ledger.settle('b', b2, true, NOW + 8);
		expect(ledger.earlierDelivery('b', NOW + 9)).toBe('done');
	});

	it('forgets a done id after the window, counted from the answer', () => {
		const ledger = new DeliveryLedger(60);
		ledger.settle('a', ledger.claim('a', NOW), true, NOW + 10_000);
		expect(ledger.earlierDelivery('a', NOW + 70_000)).toBe('done');
		expect(ledger.earlierDelivery('a', NOW + 70_001)).toBe('none');
	});

	it('a claim never answered stops blocking after the running timeout', () => {
		const ledger = new DeliveryLedger(7 * 86400, 100, 3600);
		ledger.claim('a', NOW);
		expect(ledger.earlierDelivery('a', NOW + 3_600_000)).toBe('running');
		expect(ledger.earlierDelivery('a', NOW + 3_600_001)).toBe('none');
	});

	it('the answer of a replaced claim changes nothing', () => {
		const ledger = new DeliveryLedger(7 * 86400, 100, 1);
		const old = ledger.claim('a', NOW);
		const current = ledger.claim('a', NOW + 5000);
		ledger.settle('a', old, false, NOW + 5001);
		expect(ledger.earlierDelivery('a', NOW + 5002)).toBe('running');
		ledger.settle('a', current, true, NOW + 5003);
		expect(ledger.earlierDelivery('a', NOW + 5004)).toBe('done');
	});

	it('keeps at most maxEntries ids, dropping the oldest', () => {
		const ledger = new DeliveryLedger(60, 3);
		for (const id of ['a', 'b', 'c', 'd']) ledger.settle(id, ledger.claim(id, NOW), true, NOW);
		expect(ledger.size).toBe(3);
		expect(ledger.earlierDelivery('a', NOW)).toBe('none');
		expect(ledger.earlierDelivery('d', NOW)).toBe('done');
		expect(MAX_REMEMBERED_EVENTS).toBe(100_000);
	});

	it('drops expired ids as new ones are claimed, a few at a time', () => {
		const ledger = new DeliveryLedger(60);
		for (let i = 0; i < 10; i++) ledger.settle(`old${i}`, ledger.claim(`old${i}`, NOW), true, NOW);
		ledger.claim('new1', NOW + 61_000);
		expect(ledger.size).toBe(10 - 4 + 1);
		ledger.claim('new2', NOW + 61_000);
		ledger.claim('new3', NOW + 61_000);
		expect(ledger.size).toBe(3);
	});

	it('remembers for the maximum event age, 7 days without one', () => {
		expect(dedupWindowSeconds(86400)).toBe(86400);
		expect(dedupWindowSeconds(0)).toBe(7 * 86400);
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

	it.each([true, 'done' as const])('ignores a done event id (%p) with 200 "duplicate"', (seen) => {
		expect(decide({ ...base, options: { events: ['*'] }, alreadySeen: () => seen })).toEqual({
			action: 'ignore',
			status: 200,
			reason: 'duplicate',
			message: 'duplicate: event 01928322-860c-77f9-9c3b-7f8abe3b6afd was already received',
			eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
			eventType: 'CallEnded',
		});
	});

	it('refuses a retry while the first delivery still runs: 409, not 2xx', () => {
		expect(decide({ ...base, options: { events: ['*'] }, alreadySeen: () => 'running' })).toEqual({
			action: 'reject',
			status: 409,
			reason: 'inProgress',
			message:
				'event 01928322-860c-77f9-9c3b-7f8abe3b6afd is still being processed by an earlier delivery; retry later',
		});
	});

	it('accepts it with deduplicate off, or when not seen', () => {
		expect(
			decide({ ...base, options: { events: ['*'], deduplicate: false }, alreadySeen: () => true }),
		).toMatchObject({ action: 'accept' });
		for (const seen of [false, 'none' as const]) {
			expect(
				decide({ ...base, options: { events: ['*'] }, alreadySeen: () => seen }),
			).toMatchObject({ action: 'accept' });
		}
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
