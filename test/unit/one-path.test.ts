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
import { withDefaults } from '../../nodes/SipCaller/core/options';
import { ENV_ACCESS_SETTING, OUTCOMES, type Reason } from '../../nodes/SipCaller/core/outcomes';
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

/** A quoted reason, and a line that decides per reason (compares, cases, looks up, lists). */
function perReason(reasons: readonly string[]): { quoted: RegExp; decision: RegExp } {
	const quoted = `'(?:${reasons.join('|')})'`;
	const decision = new RegExp(
		[
			`[!=]==\\s*${quoted}`,
			`${quoted}\\s*[!=]==`,
			`case\\s+${quoted}`,
			`\\.(?:has|includes|indexOf)\\(\\s*${quoted}`,
			`\\[[^\\]]*${quoted}`,
			`new Set\\(`,
		].join('|'),
	);
	return { quoted: new RegExp(quoted), decision };
}

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

	it.each([true, false])('gives every reason a message and a fix, testing=%p', (testing) => {
		for (const reason of reasons) {
			const words = OUTCOMES[reason].explain(
				{ eventId: 'e', eventType: 'CallEnded', value: 'v', signedAt: 1, cause: 'why' },
				{
					testing,
					options: withDefaults({ events: ['*'], maxAgeSeconds: 60, maxFutureSeconds: 60 }),
					now: 1_800_000_000_000,
					url: 'URL',
					credential: 'the credential "C"',
					nothingRan: 'Nothing ran.',
					publishAgain: '',
					ignoredNote: '',
				},
			);
			expect(words.message.length).toBeGreaterThan(20);
			expect(words.description.length).toBeGreaterThan(20);
			// n8n shows the message as a title: no closing full stop.
			expect(words.message).not.toMatch(/\.$/);
			expect(OUTCOMES[reason].answer({}).length).toBeGreaterThan(10);
		}
	});

	it.each(['manual', 'webhook'] as const)(
		'never lets a secret out, in any answer, error or log line (mode %s)',
		async (mode) => {
			const OLD = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
			const credentials = { signingSecret: SECRET, previousSigningSecret: OLD };
			const body = fixtureBytes('CallEnded');
			const calls: WebhookCall[] = [
				{ body, headers: {}, credentials },
				{ body, headers: { 'sip-caller-signature': 't=1,v1=zz' }, credentials },
				{ ...signedCall(body, '11'.repeat(32)), credentials },
				{
					...signedCall(body),
					credentials: { signingSecret: 'my-secret', previousSigningSecret: OLD },
				},
				{ ...signedCall(body, SECRET, 1), credentials },
				{ ...signedCall(body, SECRET, 4_000_000_000), credentials },
				{ ...signedCall('not json'), bodyState: 'unread', credentials },
				{ ...signedCall('[1]'), credentials },
				{ ...signedCall(body), bodyState: 'consumed', credentials },
				{ ...signedCall(body), credentialError: DELETED },
				{ ...signedCall(body), credentials, parameters: { events: ['CampaignPaused'] } },
				{
					...signedCall(body),
					credentials,
					parameters: { events: ['*'], options: { campaigns: 'X' } },
				},
				{ body: '', method: 'GET', credentials: { signingSecret: 'my-secret' } },
				{ body: '', method: 'GET', credentials, parameters: { events: ['CallStarted'] } },
			];
			const said: unknown[] = [];
			for (const call of calls) {
				const { thrown, response, n8nAnswersError } = await callWebhook(fresh({ ...call, mode }));
				if (thrown) n8nAnswersError(thrown.message);
				said.push(thrown?.message, thrown?.description, response);
			}
			said.push(Object.values(logger).flatMap((fn) => fn.mock.calls));
			const text = JSON.stringify(said);
			for (const secret of [SECRET, OLD, 'my-secret']) expect(text).not.toContain(secret);
		},
	);

	it('is the only place that decides per reason: no other file compares, lists or looks up one', () => {
		// Producers name the reason they produce (refusal('noSample'), fail('noMatch'): typed by the
		// union, so a misspelling does not compile). What must not exist elsewhere is a decision
		// made per reason: a comparison, a case, a membership test, or a list of reasons.
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (path.endsWith('.ts')) files.push(path);
			}
		};
		walk(join(__dirname, '..', '..', 'nodes'));
		const { quoted, decision } = perReason(reasons);
		const memberOfList = new RegExp(`^\\s*${quoted.source},?\\s*$`);
		const offenders = files
			.filter((file) => !file.endsWith(join('core', 'outcomes.ts')))
			.flatMap((file) => {
				const lines = readFileSync(file, 'utf8').split('\n');
				return lines
					.filter((line, i) => {
						if (!quoted.test(line)) return false;
						if (decision.test(line)) return true;
						// A line holding only a reason, inside a list that started above.
						const above = lines[i - 1]?.trim() ?? '';
						return (
							memberOfList.test(line) && (above.endsWith('[') || memberOfList.test(lines[i - 1]))
						);
					})
					.map((line) => `${file}: ${line.trim()}`);
			});
		expect(offenders).toEqual([]);
	});

	it('the check above sees a decision made per reason', () => {
		const { quoted, decision } = perReason(reasons);
		for (const line of [
			"if (reason === 'noMatch') return;",
			"case 'tooOld':",
			"const REPORTED = new Set(['noMatch', 'tooOld']);",
			"return ['duplicate', 'inProgress'].includes(reason);",
			"if (reasons.has('noMatch')) return;",
		])
			expect(quoted.test(line) && decision.test(line)).toBe(true);
		expect(decision.test("return refusal('noSample');")).toBe(false);
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

	it('tolerates spaces and tabs around the parts, and no other white space (the routing recipe keys on t with PCRE)', () => {
		const body = fixtureBytes('CallEnded');
		const header = signPayload(body, SECRET, 1_800_000_000);
		const [t, v1] = header.split(',');
		const verdict = (spelling: string) =>
			decide({
				rawBody: body,
				signatureHeader: spelling,
				secrets: [SECRET],
				options: { events: ['*'], maxAgeSeconds: 0 },
				now: 1_800_000_000_000,
			});
		for (const accepted of [
			` ${t} ,\t${v1} `,
			`${v1},${t}`,
			`${t},v0=x,v1=${v1.slice(3).toUpperCase()}`,
		])
			expect(verdict(accepted).action).toBe('accept');
		for (const refused of [`${v1},\u00a0${t}`, `\u2003${t},${v1}`, `${t},${v1}\u00a0`])
			expect(verdict(refused)).toMatchObject({ action: 'reject', reason: 'malformedHeader' });
	});

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

	it('once the credential is fixed, the next delivery runs: a failed read is read again, at most once a second', async () => {
		const call = signedWith(DELETED);
		expect((await callWebhook(call)).thrown).toBeDefined();
		// Within a second of that read (remembered, and no fresh read yet: this one reads again).
		const fixed = await callWebhook({ ...call, credentialError: undefined });
		expect(fixed.getDecrypted).toHaveBeenCalledTimes(1);
		expect(fixed.result.workflowData).toHaveLength(1);
	});

	it('a fix made within a second of another fresh read: refused quietly (401/500, no report), runs a second later', async () => {
		const call = signedWith(DELETED);
		const start = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
		expect((await callWebhook(call)).thrown).toBeDefined(); // the read, reported
		clock.mockReturnValue(start + 100);
		expect((await callWebhook(call)).getDecrypted).toHaveBeenCalledTimes(1); // the fresh read
		clock.mockReturnValue(start + 300);
		const tooSoon = await callWebhook({ ...call, credentialError: undefined });
		expect(tooSoon.getDecrypted).not.toHaveBeenCalled();
		expect(tooSoon.thrown).toBeUndefined();
		expect(tooSoon.response.statusCode).toBe(500);
		clock.mockReturnValue(start + 1_200);
		const later = await callWebhook({ ...call, credentialError: undefined });
		expect(later.result.workflowData).toHaveLength(1);
		expect(logger.warn).toHaveBeenCalledTimes(1);
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
