import {
	EVENT_TYPES,
	isCampaignEvent,
	parseEvent,
	sipCallerEventSchema,
	type CallEndedEvent,
	type CampaignEvent,
	type SipCallerEvent,
} from '../../nodes/SipCaller/core';
import { ALL_FIXTURES, fixtureBytes, fixtureJson } from '../helpers/fixtures';

describe('the seed fixtures', () => {
	it.each(ALL_FIXTURES)('%s parses without issues and keeps its type', (type) => {
		const json = fixtureJson(type);
		const parsed = parseEvent(json);
		expect(parsed).toMatchObject({ ok: true, known: true, issues: [] });
		if (!parsed.ok || !parsed.known) throw new Error('expected a known event');
		expect(parsed.event.type).toBe(type);
		// the event is the value as sent, not a copy rebuilt by zod
		expect(parsed.event).toBe(json);
		expect(sipCallerEventSchema.safeParse(json).success).toBe(true);
	});

	it('are byte-exact copies of the seed (no trailing newline, seed layout)', () => {
		for (const type of ALL_FIXTURES) {
			const text = fixtureBytes(type).toString('utf8');
			expect(text.startsWith('{\n"id":"')).toBe(true);
			expect(text.endsWith('\n}')).toBe(true);
		}
	});

	it('cover every documented event type', () => {
		expect([...ALL_FIXTURES].sort()).toEqual([...EVENT_TYPES].sort());
	});
});

describe('inferred types', () => {
	it('narrow on type', () => {
		const parsed = parseEvent(fixtureJson('CallEnded'));
		if (!parsed.ok || !parsed.known) throw new Error('expected a known event');
		const event: SipCallerEvent = parsed.event;
		if (event.type === 'CallEnded') {
			// compiles only because the union narrowed to CallEndedEvent
			const call: CallEndedEvent = event;
			expect(call.data.callDetails.ringResult).toBe('Answer');
			expect(call.data.callDetails.duration?.total).toBe('00:00:21.34');
		} else {
			throw new Error('expected CallEnded');
		}
		expect(isCampaignEvent(event)).toBe(false);
	});

	it.each(EVENT_TYPES.filter((t) => t !== 'CallEnded'))('%s is a campaign event', (type) => {
		const parsed = parseEvent(fixtureJson(type));
		if (!parsed.ok || !parsed.known) throw new Error('expected a known event');
		expect(isCampaignEvent(parsed.event)).toBe(true);
		const campaign = (parsed.event as CampaignEvent).data.campaign;
		expect(campaign.varNames).toEqual(['Customer Name', 'Due Balance']);
	});
});

describe('tolerant reader', () => {
	it('keeps unknown fields at every level, without issues', () => {
		const json = fixtureJson('CallEnded') as any;
		json.newTopLevel = 1;
		json.data.callDetails.transferTarget = { number: '123' };
		json.data.callDetails.sipResponse.reason = 'x';
		const parsed = parseEvent(json);
		expect(parsed).toMatchObject({ ok: true, known: true, issues: [] });
		if (parsed.ok) expect((parsed.event as any).data.callDetails.transferTarget.number).toBe('123');
	});

	it('accepts nulls where an unanswered call has none', () => {
		const json = fixtureJson('CallEnded') as any;
		Object.assign(json.data.callDetails, {
			ringResult: 'NoAnswer',
			sipResponse: { code: 480, descrip: 'Temporarily Unavailable' },
			answeredAt: null,
			answerType: null,
			callflow: null,
			endType: null,
			lastAction: null,
			duration: { setup: '00:00:30.01', established: null, total: '00:00:30.01' },
			gatheredData: null,
			outcome: 'NoAnswer',
			retryAt: '2024-10-13T00:18:50.82',
		});
		expect(parseEvent(json)).toMatchObject({ ok: true, known: true, issues: [] });
	});

	it('reports, but does not drop, a known event with an unexpected value', () => {
		const json = fixtureJson('CallEnded') as any;
		json.data.callDetails.attempt = 'first';
		delete json.data.callDetails.number;
		json.createdAt = 'yesterday';
		const parsed = parseEvent(json);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.known).toBe(true);
		expect(parsed.event).toBe(json);
		const paths = parsed.issues.map((i) => i.path).sort();
		expect(paths).toEqual(['createdAt', 'data.callDetails.attempt', 'data.callDetails.number']);
		expect(parsed.issues.find((i) => i.path === 'createdAt')?.message).toMatch(/date-time/);
	});

	it('passes an unknown event type through as a generic event', () => {
		const json = { ...fixtureJson('CampaignPaused'), type: 'CampaignArchived' };
		const parsed = parseEvent(json);
		expect(parsed).toMatchObject({ ok: true, known: false, issues: [] });
		if (parsed.ok) expect(parsed.event.type).toBe('CampaignArchived');
	});

	it('passes an object without an envelope through, with issues', () => {
		const parsed = parseEvent({ hello: 'world' });
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.known).toBe(false);
		expect(parsed.issues.map((i) => i.path)).toEqual(
			expect.arrayContaining(['id', 'type', 'data', 'createdAt']),
		);
	});

	it.each([null, 42, 'CallEnded', true, [], [{ type: 'CallEnded' }]])(
		'is not ok for the non-object %p, and does not throw',
		(value) => {
			expect(parseEvent(value)).toEqual({
				ok: false,
				issues: [{ path: '(root)', message: 'expected a JSON object' }],
			});
		},
	);

	it('accepts 2, 3 and 7 fraction digits and a trailing Z in timestamps', () => {
		for (const createdAt of [
			'2024-10-12T23:56:52.78',
			'2024-10-12T23:56:52.780',
			'2024-10-12T23:56:52.7800000',
			'2024-10-12T23:56:52Z',
		]) {
			expect(parseEvent({ ...fixtureJson('CampaignResumed'), createdAt }).ok && true).toBe(true);
			const parsed = parseEvent({ ...fixtureJson('CampaignResumed'), createdAt });
			expect(parsed.ok && parsed.issues).toEqual([]);
		}
	});
});
