import { decide, signPayload, type Delivery } from '../../nodes/SipCaller/core';
import { fixtureBytes } from '../helpers/fixtures';

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const PREVIOUS = 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100';
const T = 1_800_000_000;
const NOW = T * 1000 + 5_000;

function delivery(overrides: Partial<Delivery> & { body?: Buffer | string } = {}): Delivery {
	const rawBody = overrides.body ?? fixtureBytes('CallEnded');
	return {
		rawBody,
		signatureHeader: signPayload(rawBody, SECRET, T),
		secrets: [SECRET, ''],
		options: { events: ['*'] },
		now: NOW,
		...overrides,
	};
}

/** docs/delivery.md's Responses table, row by row. */
describe('decide', () => {
	it('accepts a correctly signed event and returns it as sent', () => {
		const decision = decide(delivery());
		expect(decision).toMatchObject({
			action: 'accept',
			status: 200,
			known: true,
			issues: [],
			signedAt: T,
			signedWithPreviousSecret: false,
		});
		if (decision.action === 'accept') {
			expect(decision.event).toEqual(JSON.parse(fixtureBytes('CallEnded').toString('utf8')));
		}
	});

	it('accepts an event signed with the previous secret during a rotation', () => {
		const body = fixtureBytes('CampaignPaused');
		const decision = decide(
			delivery({
				body,
				signatureHeader: signPayload(body, PREVIOUS, T),
				secrets: [SECRET, PREVIOUS],
			}),
		);
		expect(decision).toMatchObject({ action: 'accept', signedWithPreviousSecret: true });
	});

	it.each([
		['no header', { signatureHeader: undefined }, 'missingHeader'],
		['malformed header', { signatureHeader: 'v1=abc' }, 'malformedHeader'],
		['wrong secret', { secrets: [PREVIOUS] }, 'noMatch'],
		['too old', { now: (T + 86401) * 1000 }, 'tooOld'],
		['too new', { now: (T - 301) * 1000 }, 'tooNew'],
	])('rejects %s with 401', (_label, overrides, reason) => {
		expect(decide(delivery(overrides as Partial<Delivery>))).toMatchObject({
			action: 'reject',
			status: 401,
			reason,
		});
	});

	it('rejects a tampered body with 401 before parsing it', () => {
		const signed = delivery();
		const parse = jest.spyOn(JSON, 'parse');
		try {
			const decision = decide({ ...signed, rawBody: Buffer.from('{"type":"CallEnded"}') });
			expect(decision).toMatchObject({ action: 'reject', status: 401, reason: 'noMatch' });
			expect(parse).not.toHaveBeenCalled();
		} finally {
			parse.mockRestore();
		}
	});

	it('rejects with 500 when the credential secret is not hex (our misconfiguration)', () => {
		const decision = decide(delivery({ secrets: ['secret-webhook-signing-secret'] }));
		expect(decision).toMatchObject({ action: 'reject', status: 500, reason: 'malformedSecret' });
		if (decision.action === 'reject') {
			expect(decision.message).toMatch(/signing secret is not valid hex, fix the credential/);
			expect(decision.message).not.toContain('secret-webhook-signing-secret');
		}
	});

	it('rejects with 500, running nothing, when it is handed a parsed object instead of the raw body', () => {
		const parsed = JSON.parse(fixtureBytes('CallEnded').toString('utf8'));
		const decision = decide(
			delivery({
				rawBody: parsed,
				signatureHeader: signPayload(fixtureBytes('CallEnded'), SECRET, T),
			}),
		);
		expect(decision).toMatchObject({ action: 'reject', status: 500, reason: 'notRawBody' });
	});

	it('rejects a signed body that is not JSON with 400', () => {
		const body = 'id=1&type=CallEnded';
		expect(decide(delivery({ body, signatureHeader: signPayload(body, SECRET, T) }))).toMatchObject(
			{
				action: 'reject',
				status: 400,
				reason: 'invalidJson',
			},
		);
	});

	it.each(['[1,2]', '"CallEnded"', 'null', '42'])(
		'rejects the signed non-object JSON %s with 400',
		(body) => {
			expect(
				decide(delivery({ body, signatureHeader: signPayload(body, SECRET, T) })),
			).toMatchObject({ action: 'reject', status: 400, reason: 'notAnEvent' });
		},
	);

	it('ignores, with 200, an event type that is not selected', () => {
		expect(decide(delivery({ options: { events: ['CampaignFinished'] } }))).toEqual({
			action: 'ignore',
			status: 200,
			reason: 'eventNotSelected',
			message:
				'ignored: event type CallEnded is not selected in the published version of this trigger (after changing Events, publish the workflow again)',
			eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
			eventType: 'CallEnded',
		});
	});

	it('answers an unselected type from the head of the body: the same answer as a full parse', () => {
		const asBuffer = decide(delivery({ options: { events: ['CampaignFinished'] } }));
		const text = fixtureBytes('CallEnded').toString('utf8');
		// A string body is always parsed whole: both ways give the same decision.
		const asString = decide(
			delivery({
				body: text,
				signatureHeader: signPayload(text, SECRET, T),
				options: { events: ['CampaignFinished'] },
			}),
		);
		expect(asBuffer).toEqual(asString);
		expect(asBuffer).toMatchObject({ reason: 'eventNotSelected', eventType: 'CallEnded' });
	});

	it('a signed body cut off after its type: 200 ignored when not selected, 400 when selected', () => {
		const body = Buffer.from('{"id":"e1","type":"CampaignPaused","data":{"campaign":');
		const signed = { body, signatureHeader: signPayload(body, SECRET, T) };
		expect(decide(delivery({ ...signed, options: { events: ['CallEnded'] } }))).toMatchObject({
			action: 'ignore',
			status: 200,
			reason: 'eventNotSelected',
			eventId: 'e1',
			eventType: 'CampaignPaused',
		});
		expect(decide(delivery({ ...signed, options: { events: ['CampaignPaused'] } }))).toMatchObject({
			action: 'reject',
			status: 400,
			reason: 'invalidJson',
		});
		// Never before the signature: the same bytes signed with another secret are refused.
		expect(
			decide(
				delivery({
					body,
					signatureHeader: signPayload(body, PREVIOUS, T),
					options: { events: ['CallEnded'] },
				}),
			),
		).toMatchObject({ action: 'reject', status: 401 });
	});

	it('an unselected type written after data is still found by the full parse', () => {
		const body = Buffer.from('{"id":"e2","data":{"type":"CallEnded"},"type":"CampaignPaused"}');
		expect(
			decide(
				delivery({
					body,
					signatureHeader: signPayload(body, SECRET, T),
					options: { events: ['CallEnded'] },
				}),
			),
		).toMatchObject({ action: 'ignore', reason: 'eventNotSelected', eventType: 'CampaignPaused' });
	});

	it('emits a selected type among several', () => {
		expect(
			decide(delivery({ options: { events: ['CampaignFinished', 'CallEnded'] } })),
		).toMatchObject({
			action: 'accept',
		});
	});

	it('passes an unknown event type through with *, and ignores it otherwise', () => {
		const body = JSON.stringify({
			id: 'x',
			object: 'event',
			apiVersion: 1,
			createdAt: '2024-10-12T23:47:48.133',
			type: 'CallTransferred',
			data: {},
		});
		const signed = { body, signatureHeader: signPayload(body, SECRET, T) };
		expect(decide(delivery(signed))).toMatchObject({ action: 'accept', known: false, issues: [] });
		expect(decide(delivery({ ...signed, options: { events: ['CallEnded'] } }))).toMatchObject({
			action: 'ignore',
			eventType: 'CallTransferred',
		});
	});

	describe('answers other than accept, given before the schema check', () => {
		// A CallEnded that breaks its schema in every field the filters do not read.
		const broken = JSON.parse(fixtureBytes('CallEnded').toString('utf8'));
		broken.createdAt = 'yesterday';
		broken.apiVersion = 'one';
		broken.data.callDetails.attempt = 'one';
		broken.data.customer = null;
		const body = JSON.stringify(broken);
		const signed = { body, signatureHeader: signPayload(body, SECRET, T) };

		it('the broken event is accepted with its issues when selected (the schema does run)', () => {
			const decision = decide(delivery(signed));
			expect(decision).toMatchObject({ action: 'accept', known: true });
			if (decision.action !== 'accept') throw new Error('expected accept');
			expect(decision.issues.map((issue) => issue.path).sort()).toEqual([
				'apiVersion',
				'createdAt',
				'data.callDetails.attempt',
				'data.customer',
			]);
		});

		it.each([
			['eventNotSelected', { events: ['CampaignPaused'] }],
			['campaignNotSelected', { events: ['*'], campaigns: ['Another campaign'] }],
			['ringResultNotSelected', { events: ['*'], ringResults: ['NoAnswer'] }],
			['outcomeNotSelected', { events: ['*'], outcomes: ['Voicemail'] }],
		])('a schema-invalid event is still ignored as %s, with 200', (reason, options) => {
			expect(decide(delivery({ ...signed, options }))).toMatchObject({
				action: 'ignore',
				status: 200,
				reason,
				eventId: broken.id,
				eventType: 'CallEnded',
			});
		});

		it('a schema-invalid repeat is still a duplicate, or 409 while the first runs', () => {
			const asked: string[] = [];
			const seen = (answer: 'done' | 'running') => (id: string) => (asked.push(id), answer);
			expect(decide(delivery({ ...signed, alreadySeen: seen('done') }))).toMatchObject({
				action: 'ignore',
				reason: 'duplicate',
			});
			expect(decide(delivery({ ...signed, alreadySeen: seen('running') }))).toMatchObject({
				action: 'reject',
				status: 409,
				reason: 'inProgress',
			});
			expect(asked).toEqual([broken.id, broken.id]);
		});

		it('an event that is not selected is never looked up as a duplicate', () => {
			const alreadySeen = jest.fn(() => 'done' as const);
			const options = { events: ['CampaignPaused'] };
			expect(decide(delivery({ ...signed, options, alreadySeen }))).toMatchObject({
				reason: 'eventNotSelected',
			});
			expect(alreadySeen).not.toHaveBeenCalled();
		});

		it.each(['[{"type":"CallEnded"}]', '{"type":"CallEnded"', 'null'])(
			'a body that is not a JSON object is 400 even when its type is not selected: %s',
			(text) => {
				const options = { events: ['CampaignPaused'] };
				expect(
					decide(delivery({ body: text, signatureHeader: signPayload(text, SECRET, T), options })),
				).toMatchObject({ action: 'reject', status: 400 });
			},
		);
	});

	it('emits a known event with schema issues, and reports them', () => {
		const json = JSON.parse(fixtureBytes('CallEnded').toString('utf8'));
		json.data.callDetails.attempt = 'one';
		const body = JSON.stringify(json);
		const decision = decide(delivery({ body, signatureHeader: signPayload(body, SECRET, T) }));
		expect(decision).toMatchObject({
			action: 'accept',
			known: true,
			issues: [{ path: 'data.callDetails.attempt' }],
		});
	});

	it('uses the 24 h default window: a retry 23 h later is accepted', () => {
		expect(decide(delivery({ now: (T + 23 * 3600) * 1000 }))).toMatchObject({ action: 'accept' });
	});

	it('honours the max age option, 0 meaning no limit', () => {
		const late = (T + 10 * 86400) * 1000;
		expect(
			decide(delivery({ now: late, options: { events: ['*'], maxAgeSeconds: 0 } })),
		).toMatchObject({
			action: 'accept',
		});
		expect(
			decide(delivery({ now: (T + 120) * 1000, options: { events: ['*'], maxAgeSeconds: 60 } })),
		).toMatchObject({
			reason: 'tooOld',
		});
	});
});

describe('decide: filters and output', () => {
	const call = fixtureBytes('CallEnded');
	const campaignPaused = fixtureBytes('CampaignPaused');
	const signedBody = (body: Buffer, options: Delivery['options']) =>
		delivery({ body, signatureHeader: signPayload(body, SECRET, T), options });

	it.each([
		['Campaign 1'],
		['campaign 1 '],
		['0192831A-FBBE-735F-B385-A3252781817D'],
		['Other', 'Campaign 1'],
	])('accepts an event of a selected campaign (%p)', (...campaigns) => {
		expect(decide(signedBody(call, { events: ['*'], campaigns }))).toMatchObject({
			action: 'accept',
		});
		expect(decide(signedBody(campaignPaused, { events: ['*'], campaigns }))).toMatchObject({
			action: 'accept',
		});
	});

	it('ignores, with 200, an event of another campaign', () => {
		expect(decide(signedBody(call, { events: ['*'], campaigns: ['Campaign 2'] }))).toMatchObject({
			action: 'ignore',
			status: 200,
			reason: 'campaignNotSelected',
			eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
		});
	});

	it('ignores an event without a campaign when campaigns are selected', () => {
		const body = Buffer.from(JSON.stringify({ id: 'x', type: 'AccountUpdated', data: {} }));
		expect(decide(signedBody(body, { events: ['*'], campaigns: ['Campaign 1'] }))).toMatchObject({
			reason: 'campaignNotSelected',
		});
	});

	it('filters CallEnded by ring result, any case, and lets campaign events through', () => {
		expect(decide(signedBody(call, { events: ['*'], ringResults: ['NoAnswer'] }))).toMatchObject({
			action: 'ignore',
			reason: 'ringResultNotSelected',
			message: 'ignored: ring result Answer is not selected',
		});
		expect(
			decide(signedBody(call, { events: ['*'], ringResults: ['NoAnswer', 'answer'] })),
		).toMatchObject({
			action: 'accept',
		});
		expect(
			decide(signedBody(campaignPaused, { events: ['*'], ringResults: ['NoAnswer'] })),
		).toMatchObject({
			action: 'accept',
		});
	});

	it('filters CallEnded by outcome', () => {
		expect(decide(signedBody(call, { events: ['*'], outcomes: ['Failed'] }))).toMatchObject({
			reason: 'outcomeNotSelected',
		});
		expect(decide(signedBody(call, { events: ['*'], outcomes: ['Success'] }))).toMatchObject({
			action: 'accept',
		});
	});

	it('emits the simplified row with output simplified, and the event as sent by default', () => {
		const simplified = decide(signedBody(call, { events: ['*'], output: 'simplified' }));
		const full = decide(signedBody(call, { events: ['*'] }));
		if (simplified.action !== 'accept' || full.action !== 'accept')
			throw new Error('expected accept');
		expect(simplified.item).toMatchObject({
			eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
			totalSeconds: 21.34,
		});
		expect(simplified.event).toEqual(full.item);
		expect(full.item).toBe(full.event);
	});
});
