/**
 * Seen, not silent: what the trigger shows for a refused or ignored delivery, while testing (every
 * one, as an error the editor shows) and in production (the reported reasons, once per trigger,
 * reason and window, as a failed execution and a warn log), and the Test URL opened in a browser.
 * The trigger runs in n8n-core's real WebhookContext (test/helpers/webhook-context.ts).
 */
import fc from 'fast-check';
import { NodeHelpers } from 'n8n-workflow';

import { SipCallerWebhookApi } from '../../credentials/SipCallerWebhookApi.credentials';
import {
	decide,
	EVENT_TYPES,
	isValidSigningSecret,
	signPayload,
	toSimplifiedRow,
} from '../../nodes/SipCaller/core';
import {
	humanDuration,
	REPORT_WINDOW_SECONDS,
	RefusalReports,
	reportCountNote,
} from '../../nodes/SipCaller/core/explain';
import { SAMPLE_EVENTS, sampleEvent, sampleTypeFor } from '../../nodes/SipCaller/core/samples';
import { SipCallerTrigger } from '../../nodes/SipCaller/trigger/SipCallerTrigger.node';
import { escapeHtml } from '../../nodes/SipCaller/trigger/pages';
import { fixtureBytes, fixtureJson } from '../helpers/fixtures';
import {
	callWebhook,
	logger,
	signedCall,
	TEST_SECRET,
	type WebhookCall,
} from '../helpers/webhook-context';

const SECRET = TEST_SECRET;
const OTHER = '1111111111111111111111111111111111111111111111111111111111111111';
const now = () => Math.floor(Date.now() / 1000);
let workflows = 0;

/** A signed delivery to a workflow of its own (each test starts with no report sent yet). */
const signed = (body: Buffer | string, secret?: string, t?: number): WebhookCall => ({
	...signedCall(body, secret, t),
	workflowId: `wf-seen-${++workflows}`,
});

const testing = (call: WebhookCall): WebhookCall => ({ ...call, mode: 'manual' });

beforeEach(() => jest.clearAllMocks());
afterEach(() => jest.restoreAllMocks());

describe('while testing (Test URL, the editor listening): every refusal and ignore is shown', () => {
	const call = () => signed(fixtureBytes('CallEnded'));
	it.each<[string, () => WebhookCall, RegExp, RegExp]>([
		[
			'no signature header',
			() => ({ ...call(), headers: { 'content-type': 'application/json' } }),
			/^Refused a request without a SIP Caller signature/,
			/open the Test URL in a browser while the trigger is listening/,
		],
		[
			'a malformed header',
			() => ({ ...call(), headers: { 'sip-caller-signature': 't=1,v1=zz' } }),
			/^Refused a request whose Sip-Caller-Signature header is not in SIP Caller’s form/,
			/t=<Unix seconds>,v1=<64 hexadecimal digits>/,
		],
		[
			'a signature by another secret',
			() => signed(fixtureBytes('CallEnded'), OTHER),
			/^Refused an event whose signature does not match the signing secret in the credential "SIP Caller Webhook"\. Paste into that credential the signing secret of the SIP Caller webhook whose URL is this Test URL \(SIP Caller > Settings > Webhooks\)$/,
			/this Test URL must be the URL of the SIP Caller webhook whose signing secret is in the credential "SIP Caller Webhook"/,
		],
		[
			'a credential secret that is not hex',
			() => ({ ...call(), credentials: { signingSecret: 'my-secret' } }),
			/^The signing secret in the credential "SIP Caller Webhook" is not a SIP Caller signing secret: paste it again from SIP Caller > Settings > Webhooks \(hexadecimal digits 0-9 and a-f, 64 of them, not a word or a phrase\)$/,
			/hexadecimal digits \(0-9 and a-f; SIP Caller shows 64 of them\), not a word or a phrase/,
		],
		[
			'an event 26 hours old',
			() => signed(fixtureBytes('CallEnded'), SECRET, now() - 26 * 3600),
			/^Refused an authentic event that is 1 day 2 hours old, more than this trigger's Maximum Event Age \(1 day\)\. To accept such events, raise Options > Maximum Event Age \(Seconds\) on the trigger \(0 = no limit\); if the event is not that old, set the n8n server's clock right$/,
			/raise Options > Maximum Event Age \(Seconds\) on the trigger \(0 = no limit\)/,
		],
		[
			'an event signed 10 minutes ahead',
			() => signed(fixtureBytes('CallEnded'), SECRET, now() + 600),
			/^Refused an authentic event signed 10 minutes in the future: the n8n server's clock is behind SIP Caller's\. Set the server's clock right \(NTP\), or raise Options > Clock Skew Tolerance \(Seconds\) on the trigger$/,
			/Clock Skew Tolerance \(Seconds\) allows \(5 minutes\)/,
		],
		[
			'a signed body that is not JSON',
			() => ({ ...signed('not json'), bodyState: 'unread' }),
			/^Refused a signed request whose body is not a SIP Caller event/,
			/the body is not JSON/,
		],
		[
			'a multipart body',
			() => ({ ...call(), bodyState: 'consumed' }),
			/^Refused a request whose body could not be read: SIP Caller sends JSON$/,
			/multipart\/form-data/,
		],
		[
			'an event type not selected',
			() => ({ ...call(), parameters: { events: ['CampaignFinished', 'CampaignPaused'] } }),
			/^Ignored a Call Ended event: it is not among the Events selected on this trigger\. To run the workflow for it, add Call Ended to Events \(or choose All Events\)$/,
			/this trigger's Events are "Campaign Finished", "Campaign Paused"\. To run the workflow for it, add Call Ended to Events \(or choose All Events\)/,
		],
		[
			'a campaign not selected',
			() => ({ ...call(), parameters: { events: ['*'], options: { campaigns: 'Campaign 9' } } }),
			/^Ignored an event of campaign "Campaign 1": it is not among the campaigns selected on this trigger\. Add it to Options > Campaigns, or remove the campaign options to run for every campaign$/,
			/\("Campaign 9"\)\. Add "Campaign 1" there/,
		],
		[
			'a ring result not selected',
			() => ({
				...call(),
				parameters: { events: ['*'], options: { ringResults: ['NoAnswer'] } },
			}),
			/^Ignored a Call Ended event with ring result "Answer": it is not among the Ring Results selected on this trigger\. Add it to Options > Ring Results \(Other Values\), or remove the ring result options to run for every call$/,
			/one of "NoAnswer".*Add "Answer" there/,
		],
		[
			'an outcome not selected',
			() => ({
				...call(),
				parameters: { events: ['*'], options: { otherOutcomes: 'Failed' } },
			}),
			/^Ignored a Call Ended event with outcome "Success": it is not among the Outcomes selected on this trigger\. Add it to Options > Outcomes \(Other Values\), or remove the outcome options to run for every call$/,
			/Add "Success" there/,
		],
	])(
		'%s: the editor shows why and how to fix it, nothing runs',
		async (_label, make, message, description) => {
			const { result, thrown, response } = await callWebhook(testing(make()));
			expect(thrown?.message).toMatch(message);
			expect(thrown?.description).toMatch(description);
			// n8n answers (500, the message) and records the trigger's failed test run: nothing after it.
			expect(result).toBeUndefined();
			expect(response).toEqual({});
			expect(JSON.stringify([thrown?.message, thrown?.description])).not.toContain(SECRET);
			expect(JSON.stringify([thrown?.message, thrown?.description])).not.toContain('my-secret');
		},
	);

	it('a repeat of an event already received while testing: shown as a duplicate', async () => {
		const first = testing(signed(fixtureBytes('CallEnded')));
		const ran = await callWebhook(first);
		expect(ran.result.workflowData).toHaveLength(1);
		ran.n8nAnswers(200);
		const { thrown, result } = await callWebhook(first);
		expect(thrown?.message).toBe(
			'Ignored a repeat of event 01928322-860c-77f9-9c3b-7f8abe3b6afd: this trigger already received it. Send a new event (the sample sender gives each send a new event ID unless --as-is is set)',
		);
		expect(result).toBeUndefined();
	});

	it('an accepted event is not touched: the item, no error', async () => {
		const { result, thrown } = await callWebhook(testing(signed(fixtureBytes('CampaignPaused'))));
		expect(thrown).toBeUndefined();
		expect(result.workflowData?.[0][0].json).toEqual(fixtureJson('CampaignPaused'));
	});
});

describe('in production (Production URL): reported refusals, bounded', () => {
	it.each([
		['a signature by another secret', () => signed(fixtureBytes('CallEnded'), OTHER), 401],
		[
			'a credential secret that is not hex',
			() => ({ ...signed(fixtureBytes('CallEnded')), credentials: { signingSecret: 'my-secret' } }),
			500,
		],
		['an event too old', () => signed(fixtureBytes('CallEnded'), SECRET, now() - 2 * 86400), 401],
		['an event too new', () => signed(fixtureBytes('CallEnded'), SECRET, now() + 3600), 401],
		['a signed body that is not JSON', () => ({ ...signed('x'), bodyState: 'unread' }), 400],
		['signed JSON that is not an object', () => signed('[1,2]'), 400],
	] as Array<[string, () => WebhookCall, number]>)(
		'%s: a failed execution and one warn line, then answered %p within the window',
		async (_label, make, status) => {
			const call = make();
			const report = await callWebhook(call);
			expect(report.thrown).toBeDefined();
			expect(report.thrown?.description).toMatch(/Nothing after the trigger ran; SIP Caller/);
			expect(report.thrown?.description).toMatch(
				/Further refusals of this kind are answered but not recorded as executions for the next 5 minutes/,
			);
			expect(report.result).toBeUndefined();
			expect(logger.warn).toHaveBeenCalledTimes(1);
			expect(logger.warn.mock.calls[0][0]).toMatch(/^SIP Caller Trigger "SIP Caller Trigger": /);

			const again = await callWebhook(call);
			expect(again.thrown).toBeUndefined();
			expect(again.result).toEqual({ noWebhookResponse: true });
			expect(again.response.statusCode).toBe(status);
			expect(logger.warn).toHaveBeenCalledTimes(1);
		},
	);

	it('1,000 forged requests make one report; the next window says how many it stands for', async () => {
		const forged = signed(fixtureBytes('CallEnded'), OTHER);
		let reports = 0;
		let refused = 0;
		for (let i = 0; i < 1000; i++) {
			const { thrown, response } = await callWebhook(forged);
			if (thrown) reports++;
			else if (response.statusCode === 401) refused++;
		}
		expect({ reports, refused }).toEqual({ reports: 1, refused: 999 });
		expect(logger.warn).toHaveBeenCalledTimes(1);

		const at = Date.now() + (REPORT_WINDOW_SECONDS + 1) * 1000;
		jest.spyOn(Date, 'now').mockReturnValue(at);
		const next = await callWebhook({
			...signed(fixtureBytes('CallEnded'), OTHER, Math.floor(at / 1000)),
			workflowId: forged.workflowId,
		});
		expect(next.thrown?.message).toMatch(
			/ \(and 999 more like it since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, answered without an execution of their own: one report per 5 minutes\)$/,
		);
		expect(next.thrown?.description).toMatch(
			/This report also stands for 999 more refusals of this kind since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC that were answered without an execution of their own/,
		);
	});

	it('each trigger and each reason has its own bound', async () => {
		const forged = signed(fixtureBytes('CallEnded'), OTHER);
		expect((await callWebhook(forged)).thrown).toBeDefined();
		const old = { ...signed(fixtureBytes('CallEnded'), SECRET, now() - 2 * 86400) };
		expect((await callWebhook({ ...old, workflowId: forged.workflowId })).thrown).toBeDefined();
		expect((await callWebhook({ ...forged, workflowId: 'wf-seen-other' })).thrown).toBeDefined();
	});

	it.each([
		['no signature header', { 'content-type': 'application/json' }],
		['a malformed header', { 'sip-caller-signature': 'v1=zz' }],
	])(
		'%s (bots, scanners): answered 401, debug log only, never an execution',
		async (_l, headers) => {
			const call = { ...signed(fixtureBytes('CallEnded')), headers };
			for (let i = 0; i < 3; i++) {
				const { thrown, response } = await callWebhook(call);
				expect(thrown).toBeUndefined();
				expect(response.statusCode).toBe(401);
			}
			expect(logger.warn).not.toHaveBeenCalled();
			expect(logger.debug).toHaveBeenCalled();
		},
	);

	it('an ignored event in production: answered 200 "ignored", no report', async () => {
		const call = {
			...signed(fixtureBytes('CallEnded')),
			parameters: { events: ['CampaignPaused'] },
		};
		const { thrown, response } = await callWebhook(call);
		expect(thrown).toBeUndefined();
		expect(response).toMatchObject({ statusCode: 200, body: { ignored: true } });
		expect(logger.warn).not.toHaveBeenCalled();
	});
});

describe("with the trigger's On Error set to continue, refusals are not thrown", () => {
	it.each([
		['continueRegularOutput', { onError: 'continueRegularOutput' as const }],
		['continueErrorOutput', { onError: 'continueErrorOutput' as const }],
		['continueOnFail', { continueOnFail: true }],
	])(
		'%s: n8n would run the next nodes on an empty item, so: answered, and a warn line',
		async (_l, node) => {
			for (const mode of ['webhook', 'manual'] as const) {
				jest.clearAllMocks();
				const { thrown, result, response } = await callWebhook({
					...signed(fixtureBytes('CallEnded'), OTHER),
					mode,
					node,
				});
				expect(thrown).toBeUndefined();
				expect(result).toEqual({ noWebhookResponse: true });
				expect(response.statusCode).toBe(401);
				expect(logger.warn).toHaveBeenCalledTimes(1);
				expect(logger.warn.mock.calls[0][0]).toMatch(
					/not shown as an error: the trigger's On Error setting continues the workflow/,
				);
			}
		},
	);
});

describe('the trigger inside an execution (execute)', () => {
	const run = (mode: string, json: Record<string, unknown>) =>
		new SipCallerTrigger().execute.call({
			getInputData: () => [{ json }],
			getMode: () => mode,
			getNode: () => ({ name: 'SIP Caller Trigger' }),
		} as never);

	it('passes the event on, in every mode', async () => {
		const event = fixtureJson('CallEnded');
		for (const mode of ['webhook', 'manual', 'retry'])
			expect(await run(mode, event)).toEqual([[{ json: event }]]);
	});

	it('stops a retry of an execution that recorded a refused delivery (n8n left an empty item)', async () => {
		await expect(run('retry', {})).rejects.toThrow(
			/^Nothing to retry: this execution recorded a SIP Caller delivery the trigger refused, not an event/,
		);
		// Outside a retry an empty item is passed on like any other.
		expect(await run('webhook', {})).toEqual([[{ json: {} }]]);
	});
});

describe('the URL opened in a browser (GET)', () => {
	const get = (call: Partial<WebhookCall>): WebhookCall => ({
		body: '',
		method: 'GET',
		workflowId: `wf-seen-get-${++workflows}`,
		credentials: { signingSecret: SECRET },
		...call,
	});

	it('Production URL: a page saying what the URL is for; nothing starts, no credential read', async () => {
		const { result, response, getDecrypted, thrown } = await callWebhook(
			get({ parameters: { events: ['*'] } }),
		);
		expect(thrown).toBeUndefined();
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ statusCode: 200, contentType: 'text/html' });
		expect(response.body).toMatch(/This is the Production URL of an n8n SIP Caller Trigger/);
		expect(response.body).toMatch(/Opening this address in a browser starts nothing/);
		expect(getDecrypted).not.toHaveBeenCalled();
	});

	it('Test URL: the sample of the first selected event type starts the test run; the page says so', async () => {
		const { result, response } = await callWebhook(
			get({ mode: 'manual', parameters: { events: ['CampaignFinished', 'CallEnded'] } }),
		);
		const item = result.workflowData?.[0][0].json as Record<string, unknown>;
		expect(result.noWebhookResponse).toBe(true);
		expect(item).toMatchObject({
			type: 'CampaignFinished',
			data: SAMPLE_EVENTS.CampaignFinished.data,
		});
		expect(item.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
		expect(item.id).not.toBe(SAMPLE_EVENTS.CampaignFinished.id);
		expect(response).toMatchObject({ statusCode: 200, contentType: 'text/html' });
		expect(response.body).toMatch(/A sample Campaign Finished event was sent to the n8n editor/);
		expect(response.body).toContain(String(item.id));
	});

	it('Test URL: ?event= picks a selected type; Output shapes the sample like a real event', async () => {
		const { result } = await callWebhook(
			get({
				mode: 'manual',
				typeVersion: 2,
				parameters: { events: ['*'] },
				query: { event: 'CallEnded' },
			}),
		);
		const row = result.workflowData?.[0][0].json as Record<string, unknown>;
		const expected = toSimplifiedRow(fixtureJson('CallEnded'));
		expect(Object.keys(row)).toEqual(Object.keys(expected));
		// A fresh id and time (so the duplicate check never refuses a sample), the rest as documented.
		expect({ ...row, eventId: '', eventTime: '' }).toEqual({
			...expected,
			eventId: '',
			eventTime: '',
		});
	});

	it('Test URL: ?event= a type that is not selected: ignored as a real one would be; the editor and the page say how to add it', async () => {
		const { result, thrown, response, n8nAnswersError } = await callWebhook(
			get({
				mode: 'manual',
				parameters: { events: ['CampaignPaused'] },
				query: { event: 'CallEnded' },
			}),
		);
		expect(result).toBeUndefined();
		expect(thrown?.message).toMatch(
			/^Ignored a Call Ended event: .*To run the workflow for it, add Call Ended to Events/,
		);
		n8nAnswersError(thrown!.message);
		expect(response.body).toMatch(/The sample was ignored: the workflow did not run/);
		expect(response.body).toMatch(/add Call Ended to Events/);
	});

	it('Test URL, only event types with no sample selected: the editor says so', async () => {
		const { thrown, result } = await callWebhook(
			get({ mode: 'manual', parameters: { events: ['CallStarted'] } }),
		);
		expect(result).toBeUndefined();
		expect(thrown?.message).toBe('No sample for the event types selected on this trigger');
	});

	it('Test URL: ?event= with All Events gives that type', async () => {
		const { result } = await callWebhook(
			get({ mode: 'manual', parameters: { events: ['*'] }, query: { event: 'CampaignFinished' } }),
		);
		expect(result.workflowData?.[0][0].json).toMatchObject({ type: 'CampaignFinished' });
	});

	it('Test URL: an unknown ?event= value is never echoed, the default type is sampled', async () => {
		const { result, response } = await callWebhook(
			get({ mode: 'manual', parameters: { events: ['*'] }, query: { event: '<script>x' } }),
		);
		expect(result.workflowData?.[0][0].json).toMatchObject({ type: 'CallEnded' });
		expect(response.body).not.toContain('<script>x');
	});

	it('escapes what a page shows', () => {
		expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
			'&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;',
		);
	});
});

describe('samples', () => {
	it.each(EVENT_TYPES)("the %s sample is SIP Caller's documented one", (type) => {
		expect(SAMPLE_EVENTS[type]).toEqual(fixtureJson(type));
		// In its member order too: the trigger reads `type` from the head of the body.
		expect(JSON.stringify(SAMPLE_EVENTS[type])).toBe(JSON.stringify(fixtureJson(type)));
	});

	it.each([
		[{ events: ['*'] }, undefined, 'CallEnded'],
		[{ events: ['*'] }, 'CampaignPaused', 'CampaignPaused'],
		[{ events: ['CampaignPaused', 'CallEnded'] }, undefined, 'CampaignPaused'],
		[{ events: ['CampaignPaused'] }, 'CallEnded', 'CallEnded'],
		[{ events: ['SomethingNew', 'CampaignResumed'] }, undefined, 'CampaignResumed'],
		[{ events: ['SomethingNew'] }, undefined, undefined],
		[{ events: [] }, undefined, undefined],
	])('events %j, asked %p → %p', (options, requested, expected) => {
		expect(sampleTypeFor(options.events, requested)).toBe(expected);
	});

	it.each([
		[{ events: ['*'], campaigns: ['Summer Leads'] }],
		[{ events: ['*'], campaigns: ['0192831a-fbbe-735f-b385-000000000000'] }],
		[{ events: ['CallEnded'], ringResults: ['NoAnswer'] }],
		[{ events: ['CallEnded'], ringResults: ['Busy', 'NoAnswer'], outcomes: ['Failed'] }],
		[{ events: ['CallEnded'], ringResults: ['answer'], outcomes: ['success'] }],
	])('a sample passes the filters it was made for: %j', (options) => {
		for (const type of EVENT_TYPES) {
			if (!options.events.includes('*') && !options.events.includes(type)) continue;
			const body = JSON.stringify(sampleEvent(type, options));
			const decision = decide({
				rawBody: Buffer.from(body),
				signatureHeader: signPayload(body, SECRET),
				secrets: [SECRET],
				options,
			});
			expect(decision).toMatchObject({ action: 'accept', issues: [] });
		}
	});

	it("a filter typed in another case samples SIP Caller's spelling", () => {
		const event = sampleEvent('CallEnded', {
			events: ['CallEnded'],
			ringResults: ['noanswer'],
			outcomes: [' failed'],
		});
		expect((event.data as any).callDetails).toMatchObject({
			ringResult: 'NoAnswer',
			outcome: 'failed',
		});
	});

	it('a NoAnswer sample has no answer time, answer type or talk time', () => {
		const event = sampleEvent('CallEnded', { events: ['CallEnded'], ringResults: ['NoAnswer'] });
		expect((event.data as any).callDetails).toMatchObject({
			ringResult: 'NoAnswer',
			answeredAt: null,
			answerType: null,
			gatheredData: null,
			duration: { setup: '00:00:04.256', established: '00:00:00', total: '00:00:21.34' },
		});
	});

	it('never changes the documented samples', () => {
		sampleEvent('CallEnded', { events: ['*'], ringResults: ['NoAnswer'], campaigns: ['X'] });
		expect(SAMPLE_EVENTS.CallEnded).toEqual(fixtureJson('CallEnded'));
	});
});

describe('the bound on reports (RefusalReports)', () => {
	it('one report per key and window, counting the rest; a clock stepped back opens a window', () => {
		const reports = new RefusalReports(60);
		expect(reports.admit('a', 1_000)).toEqual({ report: true, unreported: 0 });
		expect(reports.admit('a', 2_000)).toEqual({ report: false, unreported: 1 });
		expect(reports.admit('b', 2_000)).toEqual({ report: true, unreported: 0 });
		expect(reports.admit('a', 60_999)).toEqual({ report: false, unreported: 2 });
		expect(reports.admit('a', 61_000)).toEqual({
			report: true,
			unreported: 2,
			lastReportedAt: 1_000,
		});
		expect(reports.admit('a', 30_000)).toMatchObject({ report: true });
	});

	it('keeps at most maxKeys keys, the oldest dropped first', () => {
		const reports = new RefusalReports(60, 2);
		reports.admit('a', 0);
		reports.admit('b', 0);
		reports.admit('c', 0);
		expect(reports.admit('a', 1).report).toBe(true);
		expect(reports.admit('c', 1).report).toBe(false);
	});

	it('says what a report stands for', () => {
		expect(reportCountNote({ report: true, unreported: 0 }, 300)).toBe(
			'Further refusals of this kind are answered but not recorded as executions for the next 5 minutes; the next report counts them.',
		);
		expect(
			reportCountNote(
				{ report: true, unreported: 1, lastReportedAt: Date.UTC(2026, 0, 2, 3) },
				300,
			),
		).toMatch(
			/^This report also stands for 1 more refusal of this kind since 2026-01-02 03:00:00 UTC/,
		);
	});

	it('an age just over the limit never reads as the limit', async () => {
		const limit = { events: ['*'], options: { maxAgeSeconds: 300 } };
		const just = await callWebhook(
			testing({ ...signed(fixtureBytes('CallEnded'), SECRET, now() - 301), parameters: limit }),
		);
		expect(just.thrown?.message).toMatch(
			/that is 5 minutes \d+ seconds? old, more than this trigger's Maximum Event Age \(5 minutes\)/,
		);
		const same = await callWebhook(
			testing({
				...signed(fixtureBytes('CallEnded'), SECRET, now() - 90_002),
				parameters: { events: ['*'], options: { maxAgeSeconds: 90_000 } },
			}),
		);
		// 1 day 1 hour both: said in seconds instead.
		expect(same.thrown?.message).toMatch(
			/that is 9000[2-4] seconds old, more than this trigger's Maximum Event Age \(90000 seconds\)/,
		);
	});

	it.each([
		[0, '0 seconds'],
		[59, '59 seconds'],
		[61, '1 minute 1 second'],
		[3600, '1 hour'],
		[93_600, '1 day 2 hours'],
		[86_400 * 3 + 59, '3 days 59 seconds'],
		[86_400 + 60, '1 day 1 minute'],
		[-600, '10 minutes'],
	])('humanDuration(%p) = %p', (seconds, text) => {
		expect(humanDuration(seconds)).toBe(text);
	});
});

describe("the credential's notice for a secret that is not hex", () => {
	const properties = new SipCallerWebhookApi().properties;
	/** Whether n8n's editor shows the notice under `field` holding `value` (its hide rule). */
	const shownFor = (field: string) => {
		const property = properties.find((p) => p.name === `${field}Notice`);
		expect(property?.displayOptions?.show).toBeUndefined();
		const [condition] = (property?.displayOptions?.hide?.[field] ?? []) as Array<{
			_cnd: { regex: string };
		}>;
		const hidden = new RegExp(condition._cnd.regex);
		return (value: string) => !hidden.test(value);
	};

	it.each(['signingSecret', 'previousSigningSecret'])(
		'%s: shown exactly when the value is typed, is not an expression, and is not a signing secret',
		(field) => {
			const shown = shownFor(field);
			fc.assert(
				fc.property(
					fc.oneof(
						fc.string(),
						fc.stringMatching(/^\s*[0-9a-fA-F]*\s*$/),
						fc.stringMatching(/^[0-9a-f]*[^0-9a-f][0-9a-f]*$/),
					),
					(value) => {
						const expected =
							value.trim() !== '' && !value.startsWith('=') && !isValidSigningSecret(value);
						expect(shown(value)).toBe(expected);
					},
				),
			);
			expect(shown('my-secret')).toBe(true);
			expect(shown(SECRET)).toBe(false);
			expect(shown(`  ${SECRET}\n`)).toBe(false);
			expect(shown('   ')).toBe(false);
			// An expression (External Secrets, a variable) is checked when it runs.
			expect(shown('={{ $secrets.vault.sipCaller }}')).toBe(false);
			// n8n's placeholders for a saved secret it does not send to the browser (a saved empty
			// field has one too: seen in n8n 2.41.1's credential dialog).
			expect(shown('__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6')).toBe(false);
			expect(shown('__n8n_EMPTY_VALUE_7b1af746-3729-4c60-9b9b-e08eb29e58da')).toBe(false);
		},
	);

	it.each(['signingSecret', 'previousSigningSecret'])(
		'%s: an expression gets a notice of its own (n8n shows a show-ruled notice for any expression)',
		(field) => {
			const notice = properties.find((p) => p.name === `${field}ExpressionNotice`);
			expect(notice?.type).toBe('notice');
			expect(notice?.displayName).toMatch(/N8N_BLOCK_ENV_ACCESS_IN_NODE=false/);
			// n8n's own rule (n8n-workflow's displayParameter, which the credential dialog uses).
			const shown = (value: string) =>
				NodeHelpers.displayParameter({ [field]: value }, notice!, null, null);
			expect(shown('={{ $env.SIP_CALLER_SECRET }}')).toBe(true);
			expect(shown(SECRET)).toBe(false);
			expect(shown('my-secret')).toBe(false);
		},
	);
});
