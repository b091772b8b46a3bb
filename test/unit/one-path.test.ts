/**
 * One path for every delivery: the outcome table (core/outcomes.ts) and the steps of webhook()
 * that every way in walks (a POST, a browser's sample on the Test URL), with the credential in
 * every state n8n can leave it (readable, not a SIP Caller secret, deleted, an expression n8n
 * refuses). The trigger runs in n8n-core's real WebhookContext (test/helpers/webhook-context.ts).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

import { NodeOperationError, WorkflowConfigurationError } from 'n8n-workflow';

import { DeliveryLedger, dedupWindowSeconds } from '../../nodes/SipCaller/core/dedup';
import { decide } from '../../nodes/SipCaller/core/delivery';
import {
	ENV_ACCESS_SETTING,
	explainOutcome,
	OUTCOMES,
	refusal,
	type Reason,
} from '../../nodes/SipCaller/core/outcomes';
import { signPayload } from '../../nodes/SipCaller/core/signature';
import { fixtureBytes } from '../helpers/fixtures';
import {
	callWebhook,
	logger,
	signedCall,
	TEST_SECRET,
	type WebhookCall,
} from '../helpers/webhook-context';

const SECRET = TEST_SECRET;
let workflows = 0;
const fresh = (call: WebhookCall): WebhookCall => ({
	...call,
	workflowId: `wf-path-${++workflows}`,
});

/** What n8n's credentials helper throws for a credential deleted after the workflow was published. */
const DELETED = new Error(
	'Credential with ID "sipE2eCredGone" does not exist for type "sipCallerWebhookApi".',
);
/** What n8n 2.x throws for `{{ $env.SIP_CALLER_SECRET }}` with env access blocked (its default). */
const ENV_DENIED = new Error('access to env vars denied');

beforeEach(() => jest.clearAllMocks());
afterEach(() => jest.restoreAllMocks());

describe('the outcome table', () => {
	// Every reason, spelled once more here on purpose: the Record type below fails to compile if
	// this list and the union part ways, and the test fails if the table has a row too many.
	const EVERY_REASON: Record<Reason, true> = {
		missingHeader: true,
		malformedHeader: true,
		malformedSecret: true,
		notRawBody: true,
		tooOld: true,
		tooNew: true,
		noMatch: true,
		invalidJson: true,
		notAnEvent: true,
		inProgress: true,
		unreadableBody: true,
		credentialUnreadable: true,
		noSample: true,
		eventNotSelected: true,
		campaignNotSelected: true,
		ringResultNotSelected: true,
		outcomeNotSelected: true,
		duplicate: true,
	};
	const reasons = Object.keys(EVERY_REASON) as Reason[];

	it('has exactly one row per reason', () => {
		expect(Object.keys(OUTCOMES).sort()).toEqual([...reasons].sort());
	});

	it('answers 2xx only for what the user chose not to run (SIP Caller must not retry those)', () => {
		const answered200 = reasons.filter((r) => OUTCOMES[r].status === 200).sort();
		expect(answered200).toEqual(
			[
				'campaignNotSelected',
				'duplicate',
				'eventNotSelected',
				'outcomeNotSelected',
				'ringResultNotSelected',
			].sort(),
		);
	});

	it('keeps quiet in production what a stranger can send without the secret', () => {
		for (const reason of ['missingHeader', 'malformedHeader', 'unreadableBody'] as const)
			expect(OUTCOMES[reason].production).toBe('debug');
		// A forged signature or a broken credential is reported, without the reason in the answer.
		for (const reason of ['noMatch', 'malformedSecret', 'credentialUnreadable'] as const)
			expect(OUTCOMES[reason].production).toBe('report');
	});

	it('lets a fresh read of the credential retry only what a newer credential can cure', () => {
		expect(reasons.filter((r) => OUTCOMES[r].freshReadMayCure).sort()).toEqual(
			['credentialUnreadable', 'malformedSecret', 'noMatch'].sort(),
		);
	});

	it.each([true, false])(
		'gives every reason a message and a fix, testing=%p, never with a secret',
		(testing) => {
			for (const reason of reasons) {
				const outcome =
					OUTCOMES[reason].status === 200
						? (decide({
								rawBody: '{}',
								signatureHeader: undefined,
								secrets: [SECRET],
								options: { events: ['*'] },
							}) as never)
						: refusal(reason as 'noMatch');
				const words = explainOutcome({ ...outcome, reason } as never, {
					testing,
					options: { events: ['*'] },
					now: Date.now(),
				});
				expect(words?.message.length).toBeGreaterThan(20);
				expect(words?.description.length).toBeGreaterThan(20);
				expect(words?.message).not.toMatch(/\.$/);
				expect(JSON.stringify(words)).not.toContain(SECRET);
				expect(OUTCOMES[reason].answer({}).length).toBeGreaterThan(10);
			}
		},
	);

	it('is the only place that decides per reason: no reason is compared or listed elsewhere', () => {
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (path.endsWith('.ts')) files.push(path);
			}
		};
		walk(join(__dirname, '..', '..', 'nodes'));
		const offenders = files
			.filter((file) => !file.endsWith(join('core', 'outcomes.ts')))
			.flatMap((file) =>
				readFileSync(file, 'utf8')
					.split('\n')
					.filter((line) =>
						reasons.some(
							(reason) =>
								line.includes(`=== '${reason}'`) ||
								line.includes(`!== '${reason}'`) ||
								new RegExp(`\\[[^\\]]*'${reason}'[^\\]]*,`).test(line),
						),
					)
					.map((line) => `${file}: ${line.trim()}`),
			);
		expect(offenders).toEqual([]);
	});
});

describe('step 2: the signature header is checked before anything else is read', () => {
	const unsigned = (credential: Partial<WebhookCall>): WebhookCall =>
		fresh({
			body: fixtureBytes('CallEnded'),
			headers: { 'content-type': 'application/json' },
			...credential,
		});
	const malformed = (credential: Partial<WebhookCall>): WebhookCall =>
		fresh({
			body: fixtureBytes('CallEnded'),
			headers: { 'sip-caller-signature': 't=1,v1=zz' },
			...credential,
		});

	it.each([
		['a readable credential', { credentials: { signingSecret: SECRET } }],
		['a deleted credential', { credentialError: DELETED }],
		['an $env credential n8n refuses', { credentialError: ENV_DENIED }],
		['a secret that is not hex', { credentials: { signingSecret: 'my-secret' } }],
	] as Array<[string, Partial<WebhookCall>]>)(
		'%s: 30 unsigned and 30 malformed requests → 401 each, no credential read, nothing shown',
		async (_label, credential) => {
			for (const make of [unsigned, malformed]) {
				const call = make(credential);
				for (let i = 0; i < 30; i++) {
					const { thrown, result, response, getDecrypted } = await callWebhook(call);
					expect(thrown).toBeUndefined();
					expect(result).toEqual({ noWebhookResponse: true });
					expect(response.statusCode).toBe(401);
					expect(getDecrypted).not.toHaveBeenCalled();
				}
			}
			expect(logger.warn).not.toHaveBeenCalled();
			expect(logger.error).not.toHaveBeenCalled();
		},
	);

	it('while testing, an unsigned request is still shown in the editor, without a credential read', async () => {
		const { thrown, getDecrypted } = await callWebhook({
			...unsigned({ credentialError: DELETED }),
			mode: 'manual',
		});
		expect(thrown?.message).toMatch(/^Refused a request without a SIP Caller signature/);
		expect(getDecrypted).not.toHaveBeenCalled();
	});
});

describe('step 3: a credential n8n cannot read is a reason of its own', () => {
	const signedWith = (credentialError: Error): WebhookCall =>
		fresh({ ...signedCall(fixtureBytes('CallEnded')), credentialError });

	it.each([
		[
			'deleted',
			DELETED,
			/it was deleted, or n8n refused what it holds/,
			/n8n says: "Credential with ID "sipE2eCredGone" does not exist for type "sipCallerWebhookApi"\."\. Open the SIP Caller Trigger, select a SIP Caller Webhook API credential/,
		],
		[
			'an expression reading $env, which n8n 2.x denies',
			ENV_DENIED,
			new RegExp(
				`reads an environment variable, which this n8n does not allow \\(${ENV_ACCESS_SETTING}\\)`,
			),
			new RegExp(
				`n8n says: "access to env vars denied"\\. Paste the webhook's signing secret itself into Signing Secret .* set ${ENV_ACCESS_SETTING}=false in n8n's environment and restart n8n`,
			),
		],
	])(
		'%s: 30 signed deliveries → one report (n8n 500, the reason in the execution only), the rest 500; nothing runs',
		async (_label, error, message, description) => {
			const call = signedWith(error);
			const answers: Array<Awaited<ReturnType<typeof callWebhook>>> = [];
			for (let i = 0; i < 30; i++) answers.push(await callWebhook(call));
			const [report, ...rest] = answers;
			expect(report.thrown?.message).toMatch(
				/^n8n could not read the credential "SIP Caller Webhook", so no event can be checked: /,
			);
			expect(report.thrown?.message).toMatch(message);
			expect(report.thrown?.description).toMatch(description);
			// Not the error n8n answers with: the request may be anyone's, the reason names the credential.
			expect(report.thrown).not.toBeInstanceOf(WorkflowConfigurationError);
			expect(report.thrown).toBeInstanceOf(NodeOperationError);
			expect(report.result).toBeUndefined();
			for (const answered of rest) {
				expect(answered.thrown).toBeUndefined();
				expect(answered.result).toEqual({ noWebhookResponse: true });
				expect(answered.response.statusCode).toBe(500);
				expect(answered.response.body).toBe(
					"n8n could not read this trigger's signing secret credential; fix the credential in n8n",
				);
			}
			expect(logger.warn).toHaveBeenCalledTimes(1);
			expect(logger.error).not.toHaveBeenCalled();
			// Remembered like secrets, read again at most once a second: not once per request.
			const reads = answers.reduce((sum, a) => sum + a.getDecrypted.mock.calls.length, 0);
			expect(reads).toBeLessThanOrEqual(2);
		},
	);

	it('while testing: shown in the editor with n8n’s words, answered with them', async () => {
		const { thrown } = await callWebhook({ ...signedWith(ENV_DENIED), mode: 'manual' });
		expect(thrown).toBeInstanceOf(WorkflowConfigurationError);
		expect(thrown?.message).toMatch(/^n8n could not read the credential "SIP Caller Webhook"/);
		expect(thrown?.description).toMatch(/access to env vars denied/);
	});

	it('with On Error set to continue: not thrown, one warn line per window, answered 500', async () => {
		const call = { ...signedWith(DELETED), node: { onError: 'continueRegularOutput' as const } };
		for (let i = 0; i < 5; i++) {
			const { thrown, result, response } = await callWebhook(call);
			expect(thrown).toBeUndefined();
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(500);
		}
		expect(logger.warn).toHaveBeenCalledTimes(1);
	});

	it('once the credential is fixed, the next delivery runs (a failed read is not kept)', async () => {
		const call = signedWith(DELETED);
		expect((await callWebhook(call)).thrown).toBeDefined();
		const fixed = await callWebhook({ ...call, credentialError: undefined });
		expect(fixed.result.workflowData).toHaveLength(1);
	});
});

describe('the browser sample walks the same path', () => {
	const sample = (call: Partial<WebhookCall>): WebhookCall =>
		fresh({
			body: '',
			method: 'GET',
			mode: 'manual',
			parameters: { events: ['CallEnded'] },
			credentials: { signingSecret: SECRET },
			...call,
		});

	it('is signed with the credential’s secret: the page says what a sample proves and what it cannot', async () => {
		const { result, response, getDecrypted } = await callWebhook(sample({}));
		expect(getDecrypted).toHaveBeenCalledTimes(1);
		expect(result.workflowData).toHaveLength(1);
		expect(response.body).toMatch(/signed with the signing secret in the trigger&#39;s credential/);
		expect(response.body).toMatch(
			/It cannot prove that this is the secret your SIP Caller webhook signs with: only a real event from SIP Caller \(or the sample sender with that secret\) does/,
		);
		expect(response.body).toMatch(
			/If you clicked Execute step, only the trigger ran; if you clicked Execute workflow, the whole workflow ran on it/,
		);
	});

	it.each([
		['Signing Secret', { signingSecret: 'my-secret' }],
		['Previous Signing Secret', { signingSecret: SECRET, previousSigningSecret: 'my-old-secret' }],
	])(
		'a %s that is not a SIP Caller secret: refused as for a POST, shown in the editor, the page says so',
		async (_label, credentials) => {
			const { thrown, result, response, n8nAnswersError } = await callWebhook(
				sample({ credentials }),
			);
			expect(thrown).toBeInstanceOf(WorkflowConfigurationError);
			expect(thrown?.message).toMatch(
				/^The signing secret in the credential "SIP Caller Webhook" is not a SIP Caller signing secret/,
			);
			expect(result).toBeUndefined();
			// n8n answers the thrown error with its JSON; the browser gets a page with the reason.
			n8nAnswersError(thrown!.message);
			expect(response).toMatchObject({ statusCode: 500, contentType: 'text/html' });
			expect(response.body).toMatch(/The sample was refused: the workflow did not run/);
			expect(response.body).toMatch(/is not a SIP Caller signing secret/);
			expect(response.body).not.toContain('my-secret');
			expect(response.body).not.toContain('my-old-secret');
		},
	);

	it('a deleted credential: refused with n8n’s words, shown, and the page says so', async () => {
		const { thrown, n8nAnswersError, response } = await callWebhook(
			sample({ credentialError: DELETED }),
		);
		expect(thrown?.message).toMatch(/^n8n could not read the credential "SIP Caller Webhook"/);
		n8nAnswersError(thrown!.message);
		expect(response.body).toMatch(/n8n could not read the credential/);
	});

	it('no sample for the selected types follows On Error like every other path', async () => {
		const onlyUnknown = { parameters: { events: ['CallStarted'] } };
		const shown = await callWebhook(sample(onlyUnknown));
		expect(shown.thrown?.message).toBe('No sample for the event types selected on this trigger');
		expect(shown.getDecrypted).not.toHaveBeenCalled();

		const continued = await callWebhook(
			sample({ ...onlyUnknown, node: { onError: 'continueRegularOutput' } }),
		);
		expect(continued.thrown).toBeUndefined();
		expect(continued.result).toEqual({ noWebhookResponse: true });
		expect(continued.response).toMatchObject({ statusCode: 400, contentType: 'text/html' });
		expect(continued.response.body).toMatch(/No sample for the event types selected/);
		expect(logger.warn).toHaveBeenCalledTimes(1);
	});
});

describe('step 5: the duplicate memory outlives the age check', () => {
	it('remembers for Maximum Event Age plus Clock Skew Tolerance (7 days with no age limit)', () => {
		expect(dedupWindowSeconds(86_400, 300)).toBe(86_700);
		expect(dedupWindowSeconds(0, 300)).toBe(7 * 86_400);
	});

	it('an event signed 290 s ahead, delivered again 24 h 10 s after its answer: "duplicate", then too old', async () => {
		const body = fixtureBytes('CampaignPaused');
		const start = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
		const t = Math.floor(start / 1000) + 290;
		const call = fresh(signedCall(body, SECRET, t));
		const first = await callWebhook(call);
		expect(first.result.workflowData).toHaveLength(1);
		first.n8nAnswers(200);

		clock.mockReturnValue(start + (86_400 + 10) * 1000);
		const again = await callWebhook(call);
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect(again.response.body).toMatchObject({ ignored: true, reason: 'duplicate' });

		clock.mockReturnValue(start + (86_400 + 295) * 1000);
		const tooLate = await callWebhook(call);
		expect(tooLate.thrown?.message).toMatch(/^Refused an authentic event that is 1 day/);
	});

	it('the library’s ledger gives the same answer for the same window', () => {
		const ledger = new DeliveryLedger(dedupWindowSeconds(86_400, 300));
		const body = fixtureBytes('CampaignPaused');
		const at = 1_800_000_000_000;
		const t = at / 1000 + 290;
		const header = signPayload(body, SECRET, t);
		const deliver = (nowMs: number) =>
			decide({
				rawBody: body,
				signatureHeader: header,
				secrets: [SECRET],
				options: { events: ['*'] },
				now: nowMs,
				alreadySeen: (id) => ledger.earlierDelivery(id, nowMs),
			});
		const first = deliver(at);
		expect(first.action).toBe('accept');
		const id = '01928323-1fcd-721d-ad19-8ce4cfc1c135';
		ledger.settle(id, ledger.claim(id, at), true, at);
		expect(deliver(at + (86_400 + 10) * 1000)).toMatchObject({ reason: 'duplicate' });
		expect(deliver(at + (86_400 + 295) * 1000)).toMatchObject({ reason: 'tooOld' });
	});
});
