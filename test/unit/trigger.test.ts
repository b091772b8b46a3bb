import { WebhookContext } from 'n8n-core';
import { Workflow, type ICredentialTestFunctions, type ICredentialsDecrypted } from 'n8n-workflow';

import {
	DEFAULT_MAX_AGE_SECONDS,
	DEFAULT_MAX_FUTURE_SECONDS,
	EVENT_TYPES,
} from '../../nodes/SipCaller/core';
import { REPORT_WINDOW_SECONDS } from '../../nodes/SipCaller/core/explain';
import { SipCallerTrigger } from '../../nodes/SipCaller/trigger/SipCallerTrigger.node';
import {
	FRESH_READ_INTERVAL_MS,
	SECRET_MEMORY_SECONDS,
} from '../../nodes/SipCaller/trigger/signing-secrets';
import { fixtureBytes, fixtureJson } from '../helpers/fixtures';
import { nodeOf } from '../helpers/n8n-node';
import {
	callWebhook,
	logger,
	signedCall,
	TEST_SECRET,
	type WebhookCall,
} from '../helpers/webhook-context';

const SECRET = TEST_SECRET;
const PREVIOUS = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const now = () => Math.floor(Date.now() / 1000);

const signed = signedCall;

beforeEach(() => jest.clearAllMocks());

/** Every string the node sent or logged, to check that no secret ever leaves it. */
function everythingSaid(response: unknown): string {
	const logged = Object.values(logger).flatMap((fn) => fn.mock.calls);
	return JSON.stringify([response, logged]);
}

let productionWorkflows = 0;

/**
 * A refusal that is reported in production, sent twice to one workflow: the first is the report
 * (webhook() throws: n8n answers 500 with its message and records a failed execution of the
 * trigger), the second, within the report window, is answered by the node itself.
 */
async function reportedThenAnswered(call: WebhookCall) {
	const workflowId = call.workflowId ?? `wf-reported-${++productionWorkflows}`;
	const report = await callWebhook({ ...call, workflowId });
	expect(report.thrown).toBeDefined();
	expect(report.result).toBeUndefined();
	expect(report.response).toEqual({});
	const answered = await callWebhook({ ...call, workflowId });
	expect(answered.thrown).toBeUndefined();
	return { report, answered };
}

/** The first refusal of a workflow whose signature matched no secret: reported, nothing run. */
function expectNoMatchReported(call: { thrown?: Error; result?: unknown; response: unknown }) {
	expect(call.thrown?.message).toMatch(/signature does not match the signing secret/);
	expect(call.result).toBeUndefined();
	expect(call.response).toEqual({});
}

describe('SIP Caller Trigger webhook() in n8n-core WebhookContext', () => {
	it('starts the workflow with the event as sent; n8n answers with its JSON receipt', async () => {
		const body = fixtureBytes('CallEnded');
		const { result, response, getDecrypted } = await callWebhook(signed(body));
		// n8n sends webhookResponse once it has created the execution (Respond: Immediately).
		expect(result).toEqual({
			workflowData: [[{ json: fixtureJson('CallEnded') }]],
			webhookResponse: {
				received: true,
				eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
				eventType: 'CallEnded',
			},
		});
		// Nothing answered by the node itself: a failed start must reach SIP Caller as n8n's 500.
		expect(response).toEqual({});
		expect(getDecrypted.mock.calls[0][2]).toBe('sipCallerWebhookApi');
		expect(logger.warn).not.toHaveBeenCalled();
	});

	it.each(EVENT_TYPES)('emits the %s sample', async (type) => {
		const { result } = await callWebhook(signed(fixtureBytes(type)));
		expect(result.workflowData?.[0][0].json).toEqual(fixtureJson(type));
	});

	it('reads a body n8n left unread (other content types) through readRawBody', async () => {
		const call = { ...signed(fixtureBytes('CampaignPaused')), bodyState: 'unread' as const };
		call.headers = { ...call.headers, 'content-type': 'application/octet-stream' };
		const { result } = await callWebhook(call);
		expect(result.workflowData?.[0][0].json).toEqual(fixtureJson('CampaignPaused'));
	});

	it.each([
		[
			'no signature header',
			(c: WebhookCall) => ({ ...c, headers: { 'content-type': 'application/json' } }),
			/missing Sip-Caller-Signature/,
		],
		[
			'a malformed header',
			(c: WebhookCall) => ({ ...c, headers: { 'sip-caller-signature': 'v1=zz' } }),
			/malformed/,
		],
		[
			'the wrong secret',
			(c: WebhookCall) => ({ ...c, credentials: { signingSecret: PREVIOUS } }),
			/does not match/,
		],
		[
			'a tampered body',
			(c: WebhookCall) => ({ ...c, body: String(c.body).replace('Answer', 'NoAnswer') }),
			/does not match/,
		],
		[
			'a re-serialized body',
			(c: WebhookCall) => ({ ...c, body: JSON.stringify(JSON.parse(String(c.body))) }),
			/does not match/,
		],
	])('answers 401 to %s and starts nothing', async (label, change, message) => {
		const call = change(signed(fixtureBytes('CallEnded')));
		// Headers missing or malformed (bots, scanners) are never reported; a signature that
		// matches no secret is, once per window.
		const { result, response } = label.includes('header')
			? await callWebhook(call)
			: (await reportedThenAnswered(call)).answered;
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ statusCode: 401, contentType: 'text/plain' });
		expect(response.body).toMatch(message);
	});

	it('answers 401 to an event older than the maximum age, 200 with the limit off', async () => {
		const old = signed(fixtureBytes('CallEnded'), SECRET, now() - DEFAULT_MAX_AGE_SECONDS - 60);
		const { report, answered: rejected } = await reportedThenAnswered(old);
		expect(report.thrown?.message).toMatch(
			/^Refused an authentic event that is 1 day 1 minute old, more than/,
		);
		expect(rejected.result).toEqual({ noWebhookResponse: true });
		expect(rejected.response).toMatchObject({
			statusCode: 401,
			body: expect.stringMatching(/older/),
		});
		const accepted = await callWebhook({
			...old,
			parameters: { events: ['*'], options: { maxAgeSeconds: 0 } },
		});
		expect(accepted.result.workflowData).toHaveLength(1);
	});

	it('answers 401 to an event too far in the future, per the clock skew option', async () => {
		const future = signed(fixtureBytes('CallEnded'), SECRET, now() + 120);
		expect((await callWebhook(future)).result.workflowData).toHaveLength(1);
		const { answered: strict } = await reportedThenAnswered({
			...future,
			parameters: { events: ['*'], options: { maxFutureSeconds: 60 } },
		});
		expect(strict.result).toEqual({ noWebhookResponse: true });
		expect(strict.response).toMatchObject({
			statusCode: 401,
			body: expect.stringMatching(/future/),
		});
	});

	it('answers 500 when the credential secret is not hex, and never echoes it', async () => {
		const call = {
			...signed(fixtureBytes('CallEnded')),
			credentials: { signingSecret: 'secret-webhook-signing-secret' },
		};
		const { report, answered } = await reportedThenAnswered(call);
		const { result, response } = answered;
		expect(report.thrown?.message).toMatch(/is not a SIP Caller signing secret/);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({
			statusCode: 500,
			body: expect.stringMatching(/signing secret is not valid hex, fix the credential/),
		});
		// One warn line for the report; the answered one within the window is at debug.
		expect(logger.warn).toHaveBeenCalledTimes(1);
		expect(everythingSaid([report.thrown?.message, report.thrown?.description])).not.toContain(
			'secret-webhook-signing-secret',
		);
		expect(everythingSaid(response)).not.toContain('secret-webhook-signing-secret');
	});

	it('answers 400 to a signed body that is not JSON', async () => {
		const call = { ...signed('not json at all'), bodyState: 'unread' as const };
		const { result, response } = (await reportedThenAnswered(call)).answered;
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ statusCode: 400, body: 'body is not valid JSON' });
	});

	it('answers 400 to a body n8n already consumed (multipart), instead of failing', async () => {
		const call = { ...signed(fixtureBytes('CallEnded')), bodyState: 'consumed' as const };
		const { result, response } = await callWebhook(call);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({
			statusCode: 400,
			body: expect.stringMatching(/could not be read/),
		});
	});

	it('answers 200 "ignored" to an event type that is not selected, and starts nothing', async () => {
		const call = {
			...signed(fixtureBytes('CallEnded')),
			parameters: { events: ['CampaignFinished'] },
		};
		const { result, response } = await callWebhook(call);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({
			statusCode: 200,
			body: {
				received: true,
				ignored: true,
				reason: 'eventNotSelected',
				eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
			},
		});
	});

	it('accepts the previous secret during a rotation and logs it at info', async () => {
		const call = {
			...signed(fixtureBytes('CallEnded'), PREVIOUS),
			credentials: { signingSecret: SECRET, previousSigningSecret: PREVIOUS },
		};
		const { result, response } = await callWebhook(call);
		expect(result.workflowData).toHaveLength(1);
		expect(logger.info).toHaveBeenCalledWith(
			expect.stringMatching(/previous signing secret/),
			expect.anything(),
		);
		expect(everythingSaid(response)).not.toContain(PREVIOUS);
		expect(everythingSaid(response)).not.toContain(SECRET);
	});

	it('emits an event that differs from the schema, and warns with paths only', async () => {
		const json = fixtureJson('CallEnded') as any;
		json.data.callDetails.attempt = 'secondTry';
		const { result } = await callWebhook(signed(JSON.stringify(json)));
		expect(result.workflowData?.[0][0].json).toEqual(json);
		expect(logger.warn).toHaveBeenCalledTimes(1);
		const [message, meta] = logger.warn.mock.calls[0];
		expect(message).toMatch(/differs from the documented schema/);
		expect(meta.issues).toEqual([
			{ path: 'data.callDetails.attempt', message: expect.any(String) },
		]);
		expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('secondTry');
		expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('18035551004');
	});

	it('reads the filter and output options as n8n stores them', async () => {
		const call = signed(fixtureBytes('CallEnded'));
		const ignored = await callWebhook({
			...call,
			parameters: {
				events: ['CallEnded'],
				options: { ringResults: ['NoAnswer'], otherRingResults: 'Busy, Rejected' },
			},
		});
		expect(ignored.result).toEqual({ noWebhookResponse: true });
		expect(ignored.response.body).toMatchObject({ ignored: true, reason: 'ringResultNotSelected' });

		const accepted = await callWebhook({
			...call,
			parameters: {
				events: ['CallEnded'],
				options: {
					output: 'simplified',
					campaigns: 'Campaign 9,\n campaign 1',
					ringResults: ['NoAnswer'],
					otherRingResults: 'Busy, answer',
					otherOutcomes: 'Success',
				},
			},
		});
		expect(accepted.result.workflowData?.[0][0].json).toMatchObject({
			eventId: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
			campaignName: 'Campaign 1',
			'var_Customer Name': 'Stefan Robertson',
			answer_Question1: '4',
		});

		const otherCampaign = await callWebhook({
			...call,
			parameters: { events: ['*'], options: { campaigns: 'Campaign 9' } },
		});
		expect(otherCampaign.response.body).toMatchObject({
			ignored: true,
			reason: 'campaignNotSelected',
		});
	});

	it('filters on the campaigns picked from the SIP Caller list, together with the typed ones', async () => {
		const call = signed(fixtureBytes('CallEnded'));
		const picked = (campaignIds: string[], campaigns = '') =>
			callWebhook({ ...call, parameters: { events: ['*'], options: { campaignIds, campaigns } } });
		// The sample's campaign id, picked from the list.
		expect(
			(await picked(['0192831a-fbbe-735f-b385-a3252781817d'])).result.workflowData,
		).toHaveLength(1);
		expect((await picked(['0193a4b2-5c10-7e21-9a3b-4c5d6e7f8a90'])).response.body).toMatchObject({
			reason: 'campaignNotSelected',
		});
		// Either list may name it.
		expect(
			(await picked(['0193a4b2-5c10-7e21-9a3b-4c5d6e7f8a90'], 'Campaign 1')).result.workflowData,
		).toHaveLength(1);
		// The list's "select an API credential" entry (value '') filters nothing when picked.
		expect((await picked([''])).result.workflowData).toHaveLength(1);
	});

	it('saved parameters without an expression are read once, as saved, not resolved', async () => {
		const read = jest.spyOn(WebhookContext.prototype, 'getNodeParameter');
		await callWebhook({
			...signed(fixtureBytes('CallEnded')),
			typeVersion: 2,
			parameters: { events: ['CallEnded'], output: 'full', options: { deduplicate: true } },
		});
		const names = read.mock.calls.map(([name]) => name);
		expect(names).toEqual(expect.arrayContaining(['options', 'events', 'output']));
		// Every read asked for the value as saved; none went through n8n's expression resolution.
		expect(read.mock.calls.every(([, , options]) => options?.rawExpressions === true)).toBe(true);
		read.mockRestore();
	});

	it('parameters set by an expression are resolved by n8n; saved ones are read as saved', async () => {
		const byExpression = {
			events: '={{ ["Call" + "Ended"] }}',
			output: '={{ "simp" + "lified" }}',
			options: { deduplicate: '={{ false }}' },
		};
		const call = { ...signed(fixtureBytes('CallEnded')), typeVersion: 2, parameters: byExpression };
		const accepted = await callWebhook(call);
		expect(accepted.result.workflowData?.[0][0].json).toMatchObject({
			eventType: 'CallEnded',
		});
		// deduplicate resolved to false: the same event runs again.
		expect((await callWebhook(call)).result.workflowData).toHaveLength(1);
		const other = await callWebhook({
			...signed(fixtureBytes('CampaignFinished')),
			typeVersion: 2,
			parameters: byExpression,
		});
		expect(other.response.body).toMatchObject({ ignored: true, reason: 'eventNotSelected' });
		// One event type as a plain string (an expression may give one): a list of one, not a
		// substring match.
		const single = await callWebhook({
			...signed(fixtureBytes('CampaignPaused')),
			parameters: { events: '={{ "CampaignPausedOrResumed" }}' },
		});
		expect(single.response.body).toMatchObject({ ignored: true, reason: 'eventNotSelected' });
	});

	it('a repeated event id: 409 while the first runs, "duplicate" once answered 2xx', async () => {
		const call = { ...signed(fixtureBytes('CallEnded')), workflowId: 'wf-dedup' };
		const first = await callWebhook(call);
		expect(first.result.workflowData).toHaveLength(1);
		// Nothing is written to the workflow's static data (n8n would save it per event).
		expect(first.staticData).toEqual({});

		// n8n has not answered the first delivery yet: not 2xx, nothing started.
		const whileRunning = await callWebhook(call);
		expect(whileRunning.result).toEqual({ noWebhookResponse: true });
		expect(whileRunning.response).toMatchObject({ statusCode: 409, contentType: 'text/plain' });
		expect(String(whileRunning.response.body)).toMatch(/still being processed/);

		first.n8nAnswers(200);
		const again = await callWebhook(call);
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.response).toMatchObject({ statusCode: 200 });
		expect(again.response.body).toMatchObject({ ignored: true, reason: 'duplicate' });

		// Another workflow (or another process: a restart) has its own memory: it runs.
		expect(
			(await callWebhook({ ...call, workflowId: 'wf-other' })).result.workflowData,
		).toHaveLength(1);
		const off = await callWebhook({
			...call,
			parameters: { events: ['*'], options: { deduplicate: false } },
		});
		expect(off.result.workflowData).toHaveLength(1);
	});

	it('a delivery n8n answered 500 (failed run or failed start) runs again on retry', async () => {
		const call = { ...signed(fixtureBytes('CallEnded')), workflowId: 'wf-failed' };
		const first = await callWebhook(call);
		first.n8nAnswers(500);
		const retry = await callWebhook(call);
		expect(retry.result.workflowData).toHaveLength(1);
		retry.n8nAnswers(200);
		expect((await callWebhook(call)).response.body).toMatchObject({ reason: 'duplicate' });
	});

	it('SIP Caller hanging up before the answer lets its retry run; a late 200 still counts', async () => {
		const call = { ...signed(fixtureBytes('CallEnded')), workflowId: 'wf-hung-up' };
		const first = await callWebhook(call);
		first.connectionCloses();
		const retry = await callWebhook(call);
		expect(retry.result.workflowData).toHaveLength(1);
		// The first run finishes after all; the retry is still running: its claim is kept.
		first.n8nAnswers(200);
		expect((await callWebhook(call)).response.statusCode).toBe(409);
		retry.n8nAnswers(200);
		retry.connectionCloses(); // after the answer: changes nothing
		expect((await callWebhook(call)).response.body).toMatchObject({ reason: 'duplicate' });
	});

	it('Respond When the Workflow Has Finished: no receipt of its own, n8n answers after the run', async () => {
		const call = {
			...signed(fixtureBytes('CallEnded')),
			parameters: { events: ['*'], options: { respond: 'afterWorkflow' } },
		};
		const { result, response } = await callWebhook(call);
		expect(result).toEqual({ workflowData: [[{ json: fixtureJson('CallEnded') }]] });
		expect(response).toEqual({});
	});

	it('version 2: Output is a top-level parameter, Simplified by default; Options has none', async () => {
		const call = signed(fixtureBytes('CallEnded'));
		const byDefault = await callWebhook({ ...call, typeVersion: 2, parameters: { events: ['*'] } });
		expect(byDefault.result.workflowData?.[0][0].json).toMatchObject({
			eventType: 'CallEnded',
			'var_Customer Name': 'Stefan Robertson',
		});
		const full = await callWebhook({
			...call,
			typeVersion: 2,
			parameters: { events: ['*'], output: 'full' },
		});
		expect(full.result.workflowData?.[0][0].json).toEqual(fixtureJson('CallEnded'));
		// A version 1 workflow keeps the nested event by default, and its Options > Output.
		const v1 = await callWebhook({ ...call, typeVersion: 1, parameters: { events: ['*'] } });
		expect(v1.result.workflowData?.[0][0].json).toEqual(fixtureJson('CallEnded'));
	});

	it('emits an unknown event type when [All] is selected', async () => {
		const json = { ...fixtureJson('CampaignFinished'), type: 'CampaignArchived' };
		const { result } = await callWebhook(signed(JSON.stringify(json)));
		expect(result.workflowData?.[0][0].json).toEqual(json);
	});
});

interface Resolver {
	template: string;
	resolve: (parameters: unknown) => unknown;
}

describe('SIP Caller Trigger: signing secrets kept in memory for a few seconds', () => {
	const body = fixtureBytes('CallEnded');
	const later = (seconds: number) => {
		const at = Date.now() + seconds * 1000;
		return jest.spyOn(Date, 'now').mockReturnValue(at);
	};
	afterEach(() => jest.restoreAllMocks());

	it('reads the credential once for a burst of deliveries, again after SECRET_MEMORY_SECONDS', async () => {
		const call = {
			...signed(body),
			workflowId: 'wf-secrets-burst',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		const first = await callWebhook(call);
		expect(first.getDecrypted).toHaveBeenCalledTimes(1);
		const second = await callWebhook(call);
		expect(second.result.workflowData).toHaveLength(1);
		expect(second.getDecrypted).not.toHaveBeenCalled();

		later(SECRET_MEMORY_SECONDS + 1);
		const afterwards = await callWebhook(call);
		expect(afterwards.result.workflowData).toHaveLength(1);
		expect(afterwards.getDecrypted).toHaveBeenCalledTimes(1);
	});

	it('concurrent deliveries with nothing in memory share one read of the credential', async () => {
		const call = {
			...signed(body),
			workflowId: 'wf-secrets-concurrent',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		const burst = await Promise.all(Array.from({ length: 10 }, () => callWebhook(call)));
		expect(burst.every(({ result }) => result.workflowData?.length === 1)).toBe(true);
		const reads = burst.reduce((sum, { getDecrypted }) => sum + getDecrypted.mock.calls.length, 0);
		expect(reads).toBe(1);
	});

	it('a clock stepped back does not stretch the memory beyond SECRET_MEMORY_SECONDS', async () => {
		const base = {
			workflowId: 'wf-secrets-clock',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		const byPrevious = signed(body, PREVIOUS);
		await callWebhook({
			...byPrevious,
			...base,
			credentials: { signingSecret: SECRET, previousSigningSecret: PREVIOUS },
		});
		later(-60);
		const removed = await callWebhook({
			...byPrevious,
			...base,
			credentials: { signingSecret: SECRET },
		});
		expect(removed.getDecrypted).toHaveBeenCalled();
		expectNoMatchReported(removed);
	});

	it('a secret just changed in n8n works on its first event: no match in memory → read again', async () => {
		const options = { events: ['*'], options: { deduplicate: false } };
		const base = { workflowId: 'wf-secrets-rotated', parameters: options };
		await callWebhook({ ...signed(body), ...base });
		const rotated = await callWebhook({
			...signed(body, PREVIOUS),
			...base,
			credentials: { signingSecret: PREVIOUS },
		});
		expect(rotated.getDecrypted).toHaveBeenCalledTimes(1);
		expect(rotated.result.workflowData).toHaveLength(1);
		expect(rotated.response).toEqual({});
		// The fresh read is what is remembered now.
		const next = await callWebhook({
			...signed(body, PREVIOUS),
			...base,
			credentials: { signingSecret: PREVIOUS },
		});
		expect(next.getDecrypted).not.toHaveBeenCalled();
		expect(next.result.workflowData).toHaveLength(1);
	});

	it('a forged event is refused 401 after one fresh read; the next within FRESH_READ_INTERVAL_MS reads nothing', async () => {
		const base = {
			workflowId: 'wf-secrets-forged',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		await callWebhook({ ...signed(body), ...base });
		const forged = await callWebhook({ ...signed(body, PREVIOUS), ...base });
		expect(forged.getDecrypted).toHaveBeenCalledTimes(1);
		expectNoMatchReported(forged);
		// Within the report window and the fresh-read interval: answered 401, no read.
		const again = await callWebhook({ ...signed(body, PREVIOUS), ...base });
		expect(again.getDecrypted).not.toHaveBeenCalled();
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.response.statusCode).toBe(401);
		// After the interval, a forgery may read again (a secret changed since would cure it).
		later(FRESH_READ_INTERVAL_MS / 1000 + 0.1);
		const later1 = await callWebhook({ ...signed(body, PREVIOUS), ...base });
		expect(later1.getDecrypted).toHaveBeenCalledTimes(1);
		expect(later1.response.statusCode).toBe(401);
	});

	it('1,000 forged requests, one after another within a second, read the credential twice in all', async () => {
		const base = {
			workflowId: 'wf-secrets-forged-flood',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		let reads = 0;
		let started = 0;
		const start = Date.now();
		for (let i = 0; i < 1000; i++) {
			// 0.9 ms apart: the whole flood inside one FRESH_READ_INTERVAL_MS.
			jest.spyOn(Date, 'now').mockReturnValue(start + Math.floor(i * 0.9));
			const call = await callWebhook({ ...signed(body, PREVIOUS), ...base });
			reads += call.getDecrypted.mock.calls.length;
			if (call.thrown === undefined) expect(call.response.statusCode).toBe(401);
			started += call.result?.workflowData ? 1 : 0;
		}
		// The first request's own read, then one fresh read for the whole flood.
		expect(reads).toBe(2);
		expect(started).toBe(0);
	});

	it('1,000 forged requests at once share one fresh read (at most one in flight)', async () => {
		const base = {
			workflowId: 'wf-secrets-forged-burst',
			parameters: { events: ['*'], options: { deduplicate: false } },
			credentialReadMs: 20,
		};
		await callWebhook({ ...signed(body), ...base });
		const burst = await Promise.all(
			Array.from({ length: 1000 }, () => callWebhook({ ...signed(body, PREVIOUS), ...base })),
		);
		const reads = burst.reduce((sum, { getDecrypted }) => sum + getDecrypted.mock.calls.length, 0);
		expect(reads).toBe(1);
		expect(burst.filter((call) => call.result?.workflowData)).toHaveLength(0);
		expect(burst.filter((call) => call.thrown)).toHaveLength(1);
		expect(burst.filter((call) => call.response.statusCode === 401)).toHaveLength(999);
	});

	it('a genuine event right after a forged flood still works: the flood read the credential as it is now', async () => {
		const base = {
			workflowId: 'wf-secrets-forged-then-rotated',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		await callWebhook({ ...signed(body), ...base });
		// The secret changes in n8n; a forgery arrives first and its fresh read sees the change.
		const rotated = { credentials: { signingSecret: PREVIOUS } };
		await callWebhook({ ...signed(body, SECRET.replace(/5/g, '6')), ...base, ...rotated });
		const genuine = await callWebhook({ ...signed(body, PREVIOUS), ...base, ...rotated });
		expect(genuine.getDecrypted).not.toHaveBeenCalled();
		expect(genuine.result.workflowData).toHaveLength(1);
	});

	it('forged requests whose bodies arrive in reverse order still share the bound (times are taken when asked)', async () => {
		const base = {
			workflowId: 'wf-secrets-forged-reordered',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		await callWebhook({ ...signed(body), ...base });
		// 50 requests, the first to arrive the last to finish its body.
		const burst = await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				callWebhook({
					...signed(body, PREVIOUS),
					...base,
					bodyState: 'unread',
					bodyDelayMs: (50 - i) * 4,
				}),
			),
		);
		const reads = burst.reduce((sum, { getDecrypted }) => sum + getDecrypted.mock.calls.length, 0);
		expect(reads).toBe(1);
		expect(burst.filter((call) => call.result?.workflowData)).toHaveLength(0);
	});

	it('a secret changed in n8n within a second of a forgery’s fresh read: refused quietly, no false alarm, accepted a second later', async () => {
		const base = {
			workflowId: 'wf-secrets-changed-in-the-interval',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		const forged = { ...signed(body, PREVIOUS.replace(/0/g, 'f')), ...base };
		const start = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
		await callWebhook({ ...signed(body), ...base });
		clock.mockReturnValue(start + 100);
		expectNoMatchReported(await callWebhook(forged)); // the report of this window
		// Just before the window ends, two more forgeries (the memory has expired: the first reads
		// the credential, the second reads it afresh), both with the old secret.
		const windowEnds = start + 100 + REPORT_WINDOW_SECONDS * 1000;
		for (const at of [windowEnds - 200, windowEnds - 100]) {
			clock.mockReturnValue(at);
			const late = await callWebhook(forged);
			expect(late.getDecrypted).toHaveBeenCalledTimes(1);
			expect(late.thrown).toBeUndefined();
		}
		// The user pastes the new secret; SIP Caller's first event with it comes 300 ms later, in a
		// new report window, while the fresh-read bound still says no.
		const changed = { credentials: { signingSecret: PREVIOUS } };
		clock.mockReturnValue(windowEnds + 200);
		const first = await callWebhook({ ...signed(body, PREVIOUS), ...base, ...changed });
		expect(first.getDecrypted).not.toHaveBeenCalled();
		expect(first.thrown).toBeUndefined(); // not "signature does not match": no false alarm
		expect(first.response.statusCode).toBe(401);
		// SIP Caller's retry, after the interval: read afresh, accepted.
		clock.mockReturnValue(windowEnds + 1_300);
		const retry = await callWebhook({ ...signed(body, PREVIOUS), ...base, ...changed });
		expect(retry.getDecrypted).toHaveBeenCalledTimes(1);
		expect(retry.result.workflowData).toHaveLength(1);
	});

	it('a previous secret removed from the credential stops verifying within SECRET_MEMORY_SECONDS', async () => {
		const base = {
			workflowId: 'wf-secrets-removed',
			parameters: { events: ['*'], options: { deduplicate: false } },
		};
		const both = { signingSecret: SECRET, previousSigningSecret: PREVIOUS };
		const byPrevious = signed(body, PREVIOUS);
		expect(
			(await callWebhook({ ...byPrevious, ...base, credentials: both })).result.workflowData,
		).toHaveLength(1);
		// Removed in n8n: still remembered for a few seconds (documented), then refused.
		const removed = { ...byPrevious, ...base, credentials: { signingSecret: SECRET } };
		expect((await callWebhook(removed)).result.workflowData).toHaveLength(1);
		later(SECRET_MEMORY_SECONDS + 1);
		expectNoMatchReported(await callWebhook(removed));
	});

	it('each workflow and each credential id has its own memory', async () => {
		const options = { events: ['*'], options: { deduplicate: false } };
		await callWebhook({ ...signed(body), workflowId: 'wf-secrets-a', parameters: options });
		const otherWorkflow = await callWebhook({
			...signed(body),
			workflowId: 'wf-secrets-b',
			parameters: options,
		});
		expect(otherWorkflow.getDecrypted).toHaveBeenCalledTimes(1);
		const otherCredential = await callWebhook({
			...signed(body),
			workflowId: 'wf-secrets-a',
			credentialId: 'cred-2',
			parameters: options,
		});
		expect(otherCredential.getDecrypted).toHaveBeenCalledTimes(1);
	});
});

describe('SIP Caller Trigger description', () => {
	const { description } = new SipCallerTrigger();

	it('follows n8n trigger conventions', () => {
		expect(description).toMatchObject({
			name: 'sipCallerTrigger',
			displayName: 'SIP Caller Trigger',
			group: ['trigger'],
			inputs: [],
			outputs: ['main'],
			// The API credential is optional and only lists campaigns at design time.
			credentials: [
				{ name: 'sipCallerWebhookApi', required: true, displayName: 'Webhook Signing Secret' },
				{
					name: 'sipCallerApi',
					required: false,
					displayName: expect.stringMatching(/Optional, to Pick Campaigns/),
				},
			],
			webhooks: [
				{ name: 'default', httpMethod: 'POST', path: 'webhook' },
				// A browser on the same URL: a sample on the Test URL, a page in production; not shown.
				{ name: 'default', httpMethod: 'GET', path: 'webhook', ndvHideUrl: true },
			],
			version: [1, 2],
			defaultVersion: 2,
		});
		expect(description.usableAsTool).toBeUndefined();
		// The trigger panel says how a test event reaches the Test URL.
		expect(JSON.stringify(description.triggerPanel)).toContain('npx sip-caller-send CallEnded');
		// ... and how to get a sample with no terminal: the Test URL in a browser.
		expect(description.triggerPanel).toMatchObject({
			executionsHelp: {
				inactive: expect.stringContaining(
					"open this node's <b>Test URL</b> (under Webhook URLs) in your browser",
				),
			},
		});
	});

	it.each([
		[{}, 'onReceived', ''],
		[{ respond: 'immediately' }, 'onReceived', ''],
		[{ respond: 'afterWorkflow' }, 'lastNode', 'noData'],
	])(
		'webhook: options %p → responseMode %p, responseData %p, by expression and by resolver alike',
		(options, mode, data) => {
			const nodeType = new SipCallerTrigger();
			const { node, nodeTypes } = nodeOf(nodeType, { events: ['*'], options }, { typeVersion: 2 });
			const workflow = new Workflow({ nodes: [node], connections: {}, active: true, nodeTypes });
			const [webhook] = nodeType.description.webhooks!;
			const evaluate = (field: 'responseMode' | 'responseData') =>
				workflow.expression.getSimpleParameterValue(node, webhook[field], 'webhook', {});
			// n8n 1.x and the editor: the expression; n8n 2.x: the resolver under its global symbol.
			const resolvers = (webhook as unknown as Record<symbol, Record<string, Resolver>>)[
				Symbol.for('n8n.webhookDescriptionResolvers')
			];
			expect([evaluate('responseMode'), evaluate('responseData')]).toEqual([mode, data]);
			expect(resolvers.responseMode.resolve(node.parameters)).toBe(mode);
			expect(resolvers.responseData.resolve(node.parameters)).toBe(data);
			expect(resolvers.responseMode.template).toBe(webhook.responseMode);
		},
	);

	it('puts Output at the top level from version 2 (Simplified first), in Options for version 1', () => {
		const top = description.properties.find((p) => p.name === 'output')!;
		expect(top).toMatchObject({
			default: 'simplified',
			displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
		});
		const inOptions = (
			description.properties.find((p) => p.name === 'options')!.options as Array<{
				name: string;
				default: unknown;
				displayOptions?: unknown;
			}>
		).find((o) => o.name === 'output')!;
		expect(inOptions).toMatchObject({
			default: 'full',
			displayOptions: { show: { '@version': [1] } },
		});
	});

	it('names the extra values after the list they complete, so they sort right after it', () => {
		const names = (
			description.properties.find((p) => p.name === 'options')!.options as Array<{
				displayName: string;
			}>
		).map((o) => o.displayName);
		expect(names.indexOf('Outcomes (Other Values)')).toBe(names.indexOf('Outcomes') + 1);
		expect(names.indexOf('Ring Results (Other Values)')).toBe(names.indexOf('Ring Results') + 1);
		expect(names.indexOf('Campaigns')).toBe(names.indexOf('Campaign Names or IDs') + 1);
	});

	it('offers [All] and every documented event, valued as SIP Caller spells them', () => {
		const events = description.properties.find((p) => p.name === 'events')!;
		expect(events).toMatchObject({ type: 'multiOptions', required: true });
		const options = events.options as Array<{ name: string; value: string }>;
		// n8n's node panel turns it into the action "On all events".
		expect(options[0]).toMatchObject({ name: 'All Events', value: '*' });
		expect(
			options
				.map((o) => o.value)
				.slice(1)
				.sort(),
		).toEqual([...EVENT_TYPES].sort());
		expect(options.find((o) => o.value === 'CallEnded')?.name).toBe('Call Ended');
	});

	it('takes its option defaults from the core', () => {
		const options = description.properties.find((p) => p.name === 'options')!.options as Array<{
			name: string;
			default: unknown;
		}>;
		expect(options.find((o) => o.name === 'maxAgeSeconds')?.default).toBe(DEFAULT_MAX_AGE_SECONDS);
		expect(options.find((o) => o.name === 'maxFutureSeconds')?.default).toBe(
			DEFAULT_MAX_FUTURE_SECONDS,
		);
		expect(options.find((o) => o.name === 'output')?.default).toBe('full');
	});

	it('has nothing to register in SIP Caller', async () => {
		const hooks = new SipCallerTrigger().webhookMethods.default;
		const context = {} as never;
		await expect(hooks.checkExists.call(context)).resolves.toBe(true);
		await expect(hooks.create.call(context)).resolves.toBe(true);
		await expect(hooks.delete.call(context)).resolves.toBe(true);
	});
});

describe('SIP Caller Webhook credential test', () => {
	const test = new SipCallerTrigger().methods.credentialTest.sipCallerWebhookSecretTest;
	const run = (data: Record<string, unknown>) =>
		test.call(
			{} as ICredentialTestFunctions,
			{ id: '1', name: 'c', type: 'sipCallerWebhookApi', data } as ICredentialsDecrypted,
		);

	it('accepts a hex secret, with or without a previous one', async () => {
		await expect(run({ signingSecret: SECRET })).resolves.toMatchObject({ status: 'OK' });
		await expect(
			run({ signingSecret: SECRET, previousSigningSecret: PREVIOUS }),
		).resolves.toMatchObject({ status: 'OK' });
		await expect(
			run({ signingSecret: SECRET, previousSigningSecret: '  ' }),
		).resolves.toMatchObject({ status: 'OK' });
	});

	it.each([
		[{ signingSecret: 'secret-webhook-signing-secret' }, 'Signing Secret'],
		[{ signingSecret: 'abc' }, 'Signing Secret'],
		[{ signingSecret: '' }, 'Signing Secret'],
		[{}, 'Signing Secret'],
		[{ signingSecret: SECRET, previousSigningSecret: 'old-secret' }, 'Previous Signing Secret'],
	])('refuses %p and says what a secret looks like', async (data, field) => {
		const result = await run(data);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(new RegExp(`^${field} is not a SIP Caller signing secret`));
		expect(result.message).toMatch(/hexadecimal/);
		expect(result.message).not.toContain('secret-webhook-signing-secret');
	});
});
