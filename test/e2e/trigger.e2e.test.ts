/**
 * The SIP Caller Trigger in a real n8n: the packed package installed the way n8n's Community Nodes
 * installer does it, workflows imported and published, signed POSTs sent, and what n8n did checked
 * through its executions and through what the next node received.
 * SIP_CALLER_N8N_MODE=queue (npm run test:e2e:queue) runs it against n8n in queue mode: the
 * deliveries go to the webhook processes in turn, a worker runs the executions, they are read
 * from the main process.
 */
import { execFile } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { signPayload, EVENT_TYPES } from '../../nodes/SipCaller/core';
import { uuidv7 } from '../../nodes/SipCaller/core/uuid';
import { fixtureBytes, fixtureJson } from '../helpers/fixtures';
import { SIMPLIFIED_CALL_ENDED } from '../helpers/simplified';
import {
	harness,
	QUEUE_MODE,
	REPO_DIR,
	skippedInQueueMode,
	startN8n,
	type E2eN8n,
	type ExecutionSummary,
} from './harness';
import { startSink, type Sink } from './sink';
import {
	credentials,
	CREDENTIAL_TO_DELETE,
	CURRENT_SECRET,
	e2eWorkflows,
	errorWorkflow,
	PLACEHOLDER_SECRET,
	PREVIOUS_SECRET,
	type E2eWorkflow,
} from './workflows';

const OTHER_SECRET = '1111111111111111111111111111111111111111111111111111111111111111';
const now = () => Math.floor(Date.now() / 1000);

// Tests that cannot apply in queue mode, and why.
const it = skippedInQueueMode({
	'Retry on a report execution stops at the trigger: nothing after it runs on the empty item':
		'a retry is started by the main process, which the who-does-what checks below exclude; the trigger step it tests is the same in both modes',
});

let n8n: E2eN8n;
let sink: Sink;
let flows: ReturnType<typeof e2eWorkflows>;
// The production URL on a webhook process: n8n's own in regular mode; in queue mode each call
// goes to the next webhook process, as a load balancer in front of them would do.
let calls = 0;
const url = (webhookId: string, on: E2eN8n = n8n) =>
	`${on.webhookUrls[calls++ % on.webhookUrls.length]}/webhook/${webhookId}/webhook`;

interface Sent {
	status: number;
	text: string;
}

async function post(
	webhookId: string,
	body: Buffer | string,
	headers: Record<string, string>,
): Promise<Sent> {
	const response = await fetch(url(webhookId), { method: 'POST', headers, body });
	return { status: response.status, text: await response.text() };
}

function signedHeaders(body: Buffer | string, secret = CURRENT_SECRET, t = now()) {
	return {
		'content-type': 'application/json',
		'sip-caller-signature': signPayload(body, secret, t),
	};
}

async function executionCount(workflowId: string): Promise<number> {
	return (await n8n.listExecutions(workflowId)).length;
}

/**
 * The workflow's executions once `count` of them have finished: the next node may receive its
 * item before n8n records the execution's end (in queue mode the worker saves it after the run).
 */
async function finishedExecutions(workflowId: string, count: number): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const executions = await n8n.listExecutions(workflowId);
		const finished = executions.filter((e) => e.stoppedAt);
		if (finished.length >= count || Date.now() > deadline) return finished;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * Sends a bad request and checks that no execution appears: executions of webhook workflows are
 * created right after the answer, so the count is read again after a short settle time.
 */
async function expectNoExecution(workflowId: string, send: () => Promise<Sent>): Promise<Sent> {
	const before = await executionCount(workflowId);
	const sent = await send();
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(await executionCount(workflowId)).toBe(before);
	return sent;
}

beforeAll(
	async () => {
		await harness.ensureN8n();
		const tarball = await harness.packRepo(REPO_DIR);
		sink = await startSink();
		flows = e2eWorkflows(sink.url);
		const started = await startN8n({
			tarball,
			credentials,
			workflows: [...Object.values(flows), errorWorkflow(sink.url)],
			webhooks: (instance) => Object.values(flows).map((flow) => url(flow.webhookId, instance)),
		});
		n8n = started.n8n;
		// n8n's installer drops peerDependencies before `npm install`: zod (a peer) must come from
		// n8n's own node_modules, never from a copy inside the package folder.
		for (const dir of started.installedDirs)
			expect(existsSync(join(dir, 'node_modules', 'zod'))).toBe(false);
	},
	20 * 60 * 1000,
);

afterAll(async () => {
	await n8n?.stop();
	await sink?.close();
});

describe('installed like n8n installs community packages', () => {
	it('loads the trigger and the credential from the packed package', async () => {
		expect(await n8n.nodeTypes()).toContain('n8n-nodes-sip-caller.sipCallerTrigger');
	});

	it("runs the credential test when the user saves a credential (n8n's own endpoint)", async () => {
		const test = (signingSecret: string) =>
			n8n.rest('POST', '/rest/credentials/test', {
				credentials: {
					id: 'sipE2eCredGood',
					name: 'SIP Caller Webhook (e2e)',
					type: 'sipCallerWebhookApi',
					data: { signingSecret },
				},
			});
		expect(await test(PLACEHOLDER_SECRET)).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(
				/^Signing Secret is not a SIP Caller signing secret.*hexadecimal/,
			),
		});
		expect(await test(CURRENT_SECRET)).toMatchObject({ status: 'OK' });
	});
});

describe('signed events start the workflow', () => {
	it('emits each of the six sample events, byte-exact, to the next node', async () => {
		const flow = flows.all;
		for (const type of EVENT_TYPES) {
			const body = fixtureBytes(type);
			const sent = await post(flow.webhookId, body, signedHeaders(body));
			expect(sent.status).toBe(200);
			expect(JSON.parse(sent.text)).toEqual({
				received: true,
				eventId: fixtureJson(type).id,
				eventType: type,
			});
		}
		// Executions run concurrently: items may reach the sink in any order.
		const items = await sink.waitFor(`/${flow.id}`, EVENT_TYPES.length);
		expect(items).toHaveLength(EVENT_TYPES.length);
		expect(items).toEqual(expect.arrayContaining(EVENT_TYPES.map((type) => fixtureJson(type))));

		await finishedExecutions(flow.id, EVENT_TYPES.length);
		const executions = await n8n.listExecutions(flow.id, { withData: true });
		expect(executions).toHaveLength(EVENT_TYPES.length);
		for (const execution of executions) {
			expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
			const [item] = execution.nodes['SIP Caller Trigger'] as Array<Record<string, unknown>>;
			expect(EVENT_TYPES).toContain(item.type);
			expect(item).toEqual(fixtureJson(item.type as (typeof EVENT_TYPES)[number]));
		}
	});

	it('accepts an event signed with the previous secret (rotation)', async () => {
		const flow = flows.all;
		const before = sink.received.filter((r) => r.path === `/${flow.id}`).length;
		const json = { ...fixtureJson('CampaignFinished'), id: '01928735-88af-7fc5-ae74-000000000002' };
		const body = JSON.stringify(json);
		const sent = await post(flow.webhookId, body, signedHeaders(body, PREVIOUS_SECRET));
		expect(sent.status).toBe(200);
		const items = await sink.waitFor(`/${flow.id}`, before + 1);
		expect(items[before]).toEqual(json);
	});
});

describe('what no-code users get', () => {
	it('Simplified output: the sample CallEnded as a flat row, field by field', async () => {
		const call = fixtureBytes('CallEnded');
		expect((await post(flows.simplified.webhookId, call, signedHeaders(call))).status).toBe(200);
		const [row] = await sink.waitFor(`/${flows.simplified.id}`, 1);
		expect(row).toEqual(SIMPLIFIED_CALL_ENDED);
	});

	it('version 2 (what the editor adds now): Simplified by default, Full when chosen', async () => {
		const call = fixtureBytes('CallEnded');
		expect((await post(flows.version2.webhookId, call, signedHeaders(call))).status).toBe(200);
		expect((await post(flows.version2Full.webhookId, call, signedHeaders(call))).status).toBe(200);
		const [row] = await sink.waitFor(`/${flows.version2.id}`, 1);
		expect(row).toEqual(SIMPLIFIED_CALL_ENDED);
		const [event] = await sink.waitFor(`/${flows.version2Full.id}`, 1);
		expect(event).toEqual(fixtureJson('CallEnded'));
	});

	it('Ring result filter: a NoAnswer call of the selected campaign runs the workflow', async () => {
		const json = fixtureJson('CallEnded') as any;
		json.id = '01928322-860c-77f9-9c3b-000000000001';
		Object.assign(json.data.callDetails, {
			ringResult: 'NoAnswer',
			answeredAt: null,
			answerType: null,
		});
		const noAnswer = JSON.stringify(json);
		expect(
			(await post(flows.noAnswerOnly.webhookId, noAnswer, signedHeaders(noAnswer))).status,
		).toBe(200);
		const [item] = await sink.waitFor(`/${flows.noAnswerOnly.id}`, 1);
		expect(item).toEqual(json);
	});
});

/** n8n's answer to a delivery whose refusal the trigger reports when the reason stays inside n8n. */
const N8N_GENERIC = /^Workflow Webhook Error: Workflow could not be started!$/;

/**
 * What n8n answers a delivery whose refusal the trigger reports: its 500, with the reason when the
 * signature matched (the caller is SIP Caller), else n8n's generic sentence (the reason names the
 * credential, and such a request may be anyone's).
 */
function reportAnswer(sent: Sent, message: RegExp) {
	expect(sent.status).toBe(500);
	expect(JSON.parse(sent.text)).toMatchObject({ message: expect.stringMatching(message) });
}

/** Executions of a workflow once there are `count` (or 30 s passed), newest first, with data. */
async function executionsOnceThere(workflowId: string, count: number) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const executions = await n8n.listExecutions(workflowId);
		if (
			(executions.length >= count && executions.every((e) => e.stoppedAt)) ||
			Date.now() > deadline
		)
			return Promise.all(executions.map((e) => n8n.getExecution(e.id)));
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The error message n8n recorded for an execution (the trigger's own error). */
const errorOf = (execution: { data?: { resultData?: { error?: unknown } } }) =>
	(execution.data?.resultData?.error as { message?: string } | undefined)?.message;

describe('refusals in production are seen: a failed execution, an alert, bounded', () => {
	// Each webhook process keeps its own bound (queue mode has two): the first refusal of a kind on
	// each is reported.
	const everyProcess = async (
		flow: E2eWorkflow,
		body: Buffer | string,
		headers: Record<string, string>,
	) => {
		const answers: Sent[] = [];
		for (const base of n8n.webhookUrls) {
			const response = await fetch(`${base}/webhook/${flow.webhookId}/webhook`, {
				method: 'POST',
				headers,
				body,
			});
			answers.push({ status: response.status, text: await response.text() });
		}
		return answers;
	};
	const sinkCount = (path: string) => sink.received.filter((r) => r.path === path).length;

	it.each<
		[
			string,
			() => { flow: E2eWorkflow; body: Buffer | string; headers: Record<string, string> },
			RegExp,
			number,
			RegExp,
			boolean,
		]
	>([
		[
			'a signature that matches no secret',
			() => ({
				flow: flows.all,
				body: fixtureBytes('CallEnded'),
				headers: signedHeaders(fixtureBytes('CallEnded'), OTHER_SECRET),
			}),
			/^Refused an event whose signature does not match the signing secret in the credential "SIP Caller Webhook \(e2e\)"\. Paste into that credential the signing secret of the SIP Caller webhook whose URL is this Production URL/,
			401,
			/^signature does not match/,
			false,
		],
		[
			'an authentic event older than the maximum event age',
			() => ({
				flow: flows.all,
				body: fixtureBytes('CallEnded'),
				headers: signedHeaders(fixtureBytes('CallEnded'), CURRENT_SECRET, now() - 2 * 86400),
			}),
			/^Refused an authentic event that is 2 days(?: [0-9]+ seconds?)? old, more than this trigger's Maximum Event Age \(1 day\)\. To accept such events, raise Options > Maximum Event Age \(Seconds\)/,
			401,
			/older than the maximum event age/,
			true,
		],
		[
			'a signed body that is not a SIP Caller event',
			() => ({
				flow: flows.all,
				body: 'this is not JSON',
				headers: { ...signedHeaders('this is not JSON'), 'content-type': 'text/plain' },
			}),
			/^Refused a signed request whose body is not a SIP Caller event/,
			400,
			/^body is not valid JSON$/,
			true,
		],
		[
			'a credential whose secret is not hex',
			() => ({
				flow: flows.badSecret,
				body: fixtureBytes('CallEnded'),
				headers: signedHeaders(fixtureBytes('CallEnded')),
			}),
			/^The signing secret in the credential "SIP Caller Webhook \(placeholder secret\)" is not a SIP Caller signing secret: paste it again/,
			500,
			/^signing secret is not valid hex/,
			false,
		],
	])(
		'%s: n8n answers 500 (with the reason when the signature matched), one failed execution of the trigger per process, the error workflow alerts, nothing else runs; the next is answered',
		async (_label, make, message, laterStatus, laterText, answered) => {
			const { flow, body, headers } = make();
			const before = (await n8n.listExecutions(flow.id)).length;
			const errorsBefore = sinkCount('/errors');
			const sinkBefore = sinkCount(`/${flow.id}`);
			for (const sent of await everyProcess(flow, body, headers))
				reportAnswer(sent, answered ? message : N8N_GENERIC);

			const processes = n8n.webhookUrls.length;
			const executions = await executionsOnceThere(flow.id, before + processes);
			const reported = executions.slice(0, executions.length - before);
			expect(reported).toHaveLength(processes);
			for (const execution of reported) {
				expect(execution).toMatchObject({ status: 'error', mode: 'webhook' });
				expect(errorOf(execution)).toMatch(message);
				expect(execution.data?.resultData?.lastNodeExecuted).toBe('SIP Caller Trigger');
				// Nothing after the trigger ran.
				expect(Object.keys(execution.nodes)).not.toContain('Post to sink');
			}
			expect(errorOf(reported[0])).not.toContain(PLACEHOLDER_SECRET);
			// The workflow's error workflow ran for each, with the reason.
			const alerts = await sink.waitFor('/errors', errorsBefore + processes);
			for (const alert of alerts.slice(errorsBefore) as Array<Record<string, any>>) {
				expect(alert.workflow).toMatchObject({ id: flow.id });
				expect(alert.execution.error.message).toMatch(message);
				expect(alert.execution.lastNodeExecuted).toBe('SIP Caller Trigger');
			}
			expect(sinkCount(`/${flow.id}`)).toBe(sinkBefore);

			// Within the window: answered by the trigger itself (SIP Caller retries it), no execution.
			const again = await expectNoExecution(flow.id, () => post(flow.webhookId, body, headers));
			expect(again.status).toBe(laterStatus);
			expect(again.text).toMatch(laterText);
		},
		90_000,
	);

	it('Retry on a report execution stops at the trigger: nothing after it runs on the empty item', async () => {
		const flow = flows.all;
		const [report] = (await n8n.listExecutions(flow.id)).filter((e) => e.status === 'error');
		expect(report).toBeDefined();
		const sinkBefore = sinkCount(`/${flow.id}`);
		// What the Executions list's "Retry with original workflow" asks n8n.
		await n8n.rest('POST', `/rest/executions/${report.id}/retry`, { loadWorkflow: false });
		const retried = await executionsOnceThere(flow.id, 1);
		const retry = retried.find((e) => e.mode === 'retry');
		expect(retry).toMatchObject({ status: 'error', mode: 'retry' });
		expect(errorOf(retry!)).toMatch(
			/^Nothing to retry: this execution recorded a SIP Caller delivery the trigger refused/,
		);
		expect(Object.keys(retry!.nodes)).not.toContain('Post to sink');
		// n8n may alert for the failed retry too: let that land before the next test counts alerts.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(sinkCount(`/${flow.id}`)).toBe(sinkBefore);
	}, 60_000);

	it('1,000 forged requests in a row create no execution beyond the bound, and no alert', async () => {
		const body = fixtureBytes('CampaignPaused');
		const before = (await n8n.listExecutions(flows.all.id)).length;
		const errorsBefore = sinkCount('/errors');
		const statuses = new Map<number, number>();
		// 10 at a time, as a flood would come (and as SIP Caller's deliveries do).
		let sent = 0;
		const sender = async () => {
			while (sent < 1000) {
				sent++;
				const answer = await post(flows.all.webhookId, body, signedHeaders(body, OTHER_SECRET));
				statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
			}
		};
		await Promise.all(Array.from({ length: 10 }, sender));
		// The bound was taken by the test above (same trigger and reason, same window).
		expect(Object.fromEntries(statuses)).toEqual({ 401: 1000 });
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await n8n.listExecutions(flows.all.id)).length).toBe(before);
		expect(sinkCount('/errors')).toBe(errorsBefore);
		// A warn line for each report, none for the rest.
		const warned =
			n8n
				.logs()
				.match(
					/SIP Caller Trigger "SIP Caller Trigger": Refused an event whose signature does not match/g,
				) ?? [];
		expect(warned.length).toBe(n8n.webhookUrls.length);
	}, 400_000);
});

/**
 * The fence: a new event to the control workflow on every webhook process, and its run through to
 * the next node. Executions are created in the order requests are answered, so once the control's
 * have run, "no execution" for the requests sent before it is a fact, not a guess after a sleep.
 */
async function fence(): Promise<void> {
	const path = `/${flows.control.id}`;
	const before = sink.received.filter((r) => r.path === path).length;
	for (const base of n8n.webhookUrls) {
		const body = JSON.stringify({ ...fixtureJson('CampaignPaused'), id: uuidv7() });
		const response = await fetch(`${base}/webhook/${flows.control.webhookId}/webhook`, {
			method: 'POST',
			headers: signedHeaders(body),
			body,
		});
		expect(response.status).toBe(200);
	}
	await sink.waitFor(path, before + n8n.webhookUrls.length);
	await finishedExecutions(flows.control.id, 1);
}

describe('a credential n8n cannot read: unsigned requests stay quiet, signed ones are reported once', () => {
	beforeAll(async () => {
		// What a user does in Credentials after publishing: the workflow still points at it.
		await n8n.rest('DELETE', `/rest/credentials/${CREDENTIAL_TO_DELETE}`);
	});
	const sinkCount = (path: string) => sink.received.filter((r) => r.path === path).length;

	it.each<[string, () => E2eWorkflow, string, RegExp]>([
		[
			'deleted after publishing',
			() => flows.credentialGone,
			'SIP Caller Webhook (deleted)',
			/it was deleted, or n8n refused what it holds/,
		],
		[
			'an expression reading $env, which n8n 2.x refuses',
			() => flows.credentialEnv,
			'SIP Caller Webhook ($env)',
			/reads an environment variable, which this n8n does not allow \(N8N_BLOCK_ENV_ACCESS_IN_NODE\)/,
		],
	])(
		'%s: 30 unsigned → 401 and no execution; 30 signed → one failed execution per process naming it, the error workflow once, nothing after the trigger',
		async (_label, flowOf, credentialName, why) => {
			const flow = flowOf();
			const before = (await n8n.listExecutions(flow.id)).length;
			const errorsBefore = sinkCount('/errors');
			const sinkBefore = sinkCount(`/${flow.id}`);
			const body = fixtureBytes('CallEnded');

			const unsigned: number[] = [];
			for (let i = 0; i < 30; i++)
				unsigned.push(
					(await post(flow.webhookId, body, { 'content-type': 'application/json' })).status,
				);
			expect(unsigned).toEqual(Array(30).fill(401));
			await fence();
			expect((await n8n.listExecutions(flow.id)).length).toBe(before);
			expect(sinkCount('/errors')).toBe(errorsBefore);

			const signed: Sent[] = [];
			for (let i = 0; i < 30; i++)
				signed.push(await post(flow.webhookId, body, signedHeaders(body)));
			const processes = n8n.webhookUrls.length;
			// The first on each webhook process is the report (n8n's generic 500: the reason names the
			// credential and the request may be anyone's); the rest the trigger's own 500.
			for (const sent of signed.slice(0, processes)) reportAnswer(sent, N8N_GENERIC);
			for (const sent of signed.slice(processes)) {
				expect(sent.status).toBe(500);
				expect(sent.text).toMatch(/^n8n could not read this trigger's signing secret credential/);
			}
			const executions = await executionsOnceThere(flow.id, before + processes);
			await fence();
			expect((await n8n.listExecutions(flow.id)).length).toBe(before + processes);
			for (const execution of executions.slice(0, processes)) {
				expect(execution).toMatchObject({ status: 'error', mode: 'webhook' });
				expect(errorOf(execution)).toMatch(
					new RegExp(
						`^n8n could not read the credential "${credentialName.replace(/[()$]/g, '\\$&')}"`,
					),
				);
				expect(errorOf(execution)).toMatch(why);
				expect(Object.keys(execution.nodes)).not.toContain('Post to sink');
			}
			const alerts = await sink.waitFor('/errors', errorsBefore + processes);
			expect(alerts.length).toBe(errorsBefore + processes);
			expect(sinkCount(`/${flow.id}`)).toBe(sinkBefore);
			// n8n's own error line for a trigger's error (docs/delivery.md names it): one per report,
			// not one per request.
			const n8nErrorLines = n8n
				.logs()
				.split('\n')
				.filter((line) =>
					line.includes(
						`Error in handling webhook request POST /webhook/${flow.webhookId}/webhook`,
					),
				);
			expect(n8nErrorLines).toHaveLength(processes);
		},
		120_000,
	);
});

describe('while testing (Test URL, listening as the editor does): every refusal is shown', () => {
	const flow = () => flows.testing;
	const testUrl = () => `${n8n.baseUrl}/webhook-test/${flow().webhookId}/webhook`;

	/** What the editor's "Execute step" on the trigger asks n8n: listen for one test event. */
	async function listen(on: E2eWorkflow = flow()) {
		const workflowData = await n8n.rest('GET', `/rest/workflows/${on.id}`);
		const answer = await n8n.rest('POST', `/rest/workflows/${on.id}/run`, {
			workflowData,
			triggerToStartFrom: { name: 'SIP Caller Trigger' },
		});
		expect(answer).toMatchObject({ waitingForWebhook: true });
	}

	async function manualExecutions(count: number, on: E2eWorkflow = flow()) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const manual = (await n8n.listExecutions(on.id)).filter((e) => e.mode === 'manual');
			if ((manual.length >= count && manual.every((e) => e.stoppedAt)) || Date.now() > deadline)
				return Promise.all(manual.map((e) => n8n.getExecution(e.id)));
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	let seen = 0;
	it.each<[string, () => { body: Buffer | string; headers: Record<string, string> }, RegExp]>([
		[
			'a signature by another secret',
			() => ({
				body: fixtureBytes('CallEnded'),
				headers: signedHeaders(fixtureBytes('CallEnded'), OTHER_SECRET),
			}),
			/^Refused an event whose signature does not match the signing secret in the credential "SIP Caller Webhook \(e2e\)"\. Paste into that credential the signing secret of the SIP Caller webhook whose URL is this Test URL/,
		],
		[
			'an event type that is not selected',
			() => ({
				body: fixtureBytes('CampaignFinished'),
				headers: signedHeaders(fixtureBytes('CampaignFinished')),
			}),
			/^Ignored a Campaign Finished event: it is not among the Events selected on this trigger\. To run the workflow for it, add Campaign Finished to Events/,
		],
		[
			'no signature at all',
			() => ({ body: fixtureBytes('CallEnded'), headers: { 'content-type': 'application/json' } }),
			/^Refused a request without a SIP Caller signature.*open the Test URL in a browser while the trigger listens$/,
		],
	])(
		'%s: n8n answers 500 with the reason; the test run fails on the trigger; nothing else runs',
		async (_label, make, message) => {
			await listen();
			const { body, headers } = make();
			const sinkBefore = sink.received.filter((r) => r.path === `/${flow().id}`).length;
			const response = await fetch(testUrl(), { method: 'POST', headers, body });
			expect(response.status).toBe(500);
			expect(JSON.parse(await response.text())).toMatchObject({
				message: expect.stringMatching(message),
			});
			const [latest] = await manualExecutions(++seen);
			expect(latest).toMatchObject({ status: 'error', mode: 'manual' });
			expect(errorOf(latest)).toMatch(message);
			expect(Object.keys(latest.nodes)).not.toContain('Post to sink');
			expect(sink.received.filter((r) => r.path === `/${flow().id}`).length).toBe(sinkBefore);
			// One test event per listen, as in the editor: the Test URL is gone until the next.
			expect((await fetch(testUrl(), { method: 'POST', headers, body })).status).toBe(404);
		},
		60_000,
	);

	it('the Test URL opened in a browser: a sample runs the workflow and the page says so', async () => {
		await listen();
		const response = await fetch(testUrl());
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const page = await response.text();
		expect(page).toMatch(/A sample Call Ended event was sent to the n8n editor/);
		const [latest] = await manualExecutions(++seen);
		expect(latest).toMatchObject({ status: 'success', mode: 'manual' });
		// Version 2, Output Simplified by default: the row of the sample, through to the next node.
		const [row] = latest.nodes['SIP Caller Trigger'] as Array<Record<string, unknown>>;
		expect(row).toMatchObject({
			eventType: 'CallEnded',
			campaignName: 'Campaign 1',
			ringResult: 'Answer',
		});
		expect(page).toContain(String(row.eventId));
		const [posted] = await sink.waitFor(`/${flow().id}`, 1);
		expect(posted).toEqual(row);
	}, 60_000);

	it('the Test URL opened in a browser with a secret that is not a SIP Caller one: refused, shown, the page says so', async () => {
		const bad = flows.testingBadSecret;
		await listen(bad);
		const sinkBefore = sink.received.filter((r) => r.path === `/${bad.id}`).length;
		const response = await fetch(`${n8n.baseUrl}/webhook-test/${bad.webhookId}/webhook`);
		expect(response.status).toBe(500);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const page = await response.text();
		expect(page).toMatch(/The sample was refused: the workflow did not run/);
		expect(page).toMatch(
			/The signing secret in the credential &#34;SIP Caller Webhook \(placeholder secret\)&#34; is not a SIP Caller signing secret/,
		);
		expect(page).not.toContain(PLACEHOLDER_SECRET);
		const [latest] = await manualExecutions(1, bad);
		expect(latest).toMatchObject({ status: 'error', mode: 'manual' });
		expect(errorOf(latest)).toMatch(/is not a SIP Caller signing secret/);
		expect(Object.keys(latest.nodes)).not.toContain('Post to sink');
		await fence();
		expect(sink.received.filter((r) => r.path === `/${bad.id}`).length).toBe(sinkBefore);
	}, 60_000);

	it('the Production URL opened in a browser: a page saying what it is for, no execution', async () => {
		let page = '';
		await expectNoExecution(flow().id, async () => {
			const response = await fetch(url(flow().webhookId));
			page = await response.text();
			return { status: response.status, text: page };
		});
		expect(page).toMatch(/This is the Production URL of an n8n SIP Caller Trigger/);
	});
});

describe('bad deliveries are answered and start nothing', () => {
	const body = () => fixtureBytes('CallEnded');

	it('401 without a signature header', async () => {
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, body(), { 'content-type': 'application/json' }),
		);
		expect(sent).toEqual({ status: 401, text: 'missing Sip-Caller-Signature header' });
	});

	it('401 with a malformed header', async () => {
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, body(), {
				'content-type': 'application/json',
				'sip-caller-signature': `t=${now()},v1=nothex`,
			}),
		);
		expect(sent.status).toBe(401);
		expect(sent.text).toMatch(/^malformed Sip-Caller-Signature header/);
	});

	it('401 with the wrong secret', async () => {
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, body(), signedHeaders(body(), OTHER_SECRET)),
		);
		expect(sent.status).toBe(401);
		expect(sent.text).toMatch(/^signature does not match/);
	});

	it('401 with a tampered body', async () => {
		const headers = signedHeaders(body());
		const tampered = body().toString('utf8').replace('"attempt":1', '"attempt":2');
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, tampered, headers),
		);
		expect(sent.status).toBe(401);
		expect(sent.text).toMatch(/^signature does not match/);
	});

	it('401 with the body re-serialized with other white space', async () => {
		const headers = signedHeaders(body());
		const reserialized = JSON.stringify(JSON.parse(body().toString('utf8')), null, 2);
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, reserialized, headers),
		);
		expect(sent.status).toBe(401);
	});

	it('401 with a t older than the maximum event age (24 h)', async () => {
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, body(), signedHeaders(body(), CURRENT_SECRET, now() - 2 * 86400)),
		);
		expect(sent.status).toBe(401);
		expect(sent.text).toMatch(/older than the maximum event age/);
	});

	it('400 for a signed body that is not JSON (text/plain)', async () => {
		const text = 'this is not JSON';
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, text, {
				...signedHeaders(text),
				'content-type': 'text/plain',
			}),
		);
		expect(sent).toEqual({ status: 400, text: 'body is not valid JSON' });
	});

	it("422 from n8n's own body parser for invalid JSON sent as application/json", async () => {
		const text = '{"id": ';
		const sent = await expectNoExecution(flows.all.id, () =>
			post(flows.all.webhookId, text, signedHeaders(text)),
		);
		expect(sent.status).toBe(422);
	});

	it('400 for a multipart body (n8n consumes it before the node can verify it)', async () => {
		const form = new FormData();
		form.append('event', body().toString('utf8'));
		const sent = await expectNoExecution(flows.all.id, async () => {
			const response = await fetch(url(flows.all.webhookId), {
				method: 'POST',
				headers: { 'sip-caller-signature': signPayload(body(), CURRENT_SECRET, now()) },
				body: form,
			});
			return { status: response.status, text: await response.text() };
		});
		expect(sent.status).toBe(400);
		expect(sent.text).toMatch(/could not be read/);
	});

	it('200 "ignored" for an event type that is not selected', async () => {
		const sent = await expectNoExecution(flows.finishedOnly.id, () =>
			post(flows.finishedOnly.webhookId, body(), signedHeaders(body())),
		);
		expect(sent.status).toBe(200);
		expect(JSON.parse(sent.text)).toMatchObject({
			received: true,
			ignored: true,
			reason: 'eventNotSelected',
			eventId: fixtureJson('CallEnded').id,
		});
	});

	it('500 when the credential secret is not hex, without echoing it', async () => {
		const sent = await expectNoExecution(flows.badSecret.id, () =>
			post(flows.badSecret.webhookId, body(), signedHeaders(body())),
		);
		expect(sent.status).toBe(500);
		expect(sent.text).toMatch(/^signing secret is not valid hex, fix the credential/);
		expect(sent.text).not.toContain(PLACEHOLDER_SECRET);
	});

	it('the selected-type workflow still runs for its own event', async () => {
		const finished = fixtureBytes('CampaignFinished');
		const sent = await post(flows.finishedOnly.webhookId, finished, signedHeaders(finished));
		expect(sent.status).toBe(200);
		const items = await sink.waitFor(`/${flows.finishedOnly.id}`, 1);
		expect(items).toEqual([fixtureJson('CampaignFinished')]);
	});

	it('200 "ignored" for an event of a campaign that is not selected', async () => {
		const sent = await expectNoExecution(flows.otherCampaign.id, () =>
			post(flows.otherCampaign.webhookId, body(), signedHeaders(body())),
		);
		expect(sent.status).toBe(200);
		expect(JSON.parse(sent.text)).toMatchObject({ ignored: true, reason: 'campaignNotSelected' });
	});

	it('200 "ignored" for a call whose ring result is not selected', async () => {
		const sent = await expectNoExecution(flows.noAnswerOnly.id, () =>
			post(flows.noAnswerOnly.webhookId, body(), signedHeaders(body())),
		);
		expect(sent.status).toBe(200);
		expect(JSON.parse(sent.text)).toMatchObject({ ignored: true, reason: 'ringResultNotSelected' });
	});

	it('a repeated event id: "duplicate" from the process that ran it; another webhook process runs it again', async () => {
		const flow = flows.all;
		const json = { ...fixtureJson('CallEnded'), id: '01928322-860c-77f9-9c3b-000000000003' };
		const event = JSON.stringify(json);
		// The ledger is per process (docs/delivery.md, "Scaling with queue mode"): send to one process first.
		const [first, other] = n8n.webhookUrls;
		const postTo = async (base: string) => {
			const response = await fetch(`${base}/webhook/${flow.webhookId}/webhook`, {
				method: 'POST',
				headers: signedHeaders(event),
				body: event,
			});
			return { status: response.status, text: await response.text() };
		};
		expect(JSON.parse((await postTo(first)).text)).toMatchObject({
			received: true,
			eventId: json.id,
		});
		await new Promise((resolve) => setTimeout(resolve, 1000));

		const retry = await expectNoExecution(flow.id, () => postTo(first));
		expect(retry.status).toBe(200);
		expect(JSON.parse(retry.text)).toMatchObject({
			ignored: true,
			reason: 'duplicate',
			eventId: json.id,
		});
		// Executions that carry this id, once `expected` have finished (or 15 s passed).
		const runsOf = async (expected: number) => {
			const deadline = Date.now() + 15_000;
			for (;;) {
				// Distinct ids: a page boundary of the list must not count one execution twice.
				const runs = new Set(
					(await n8n.listExecutions(flow.id, { withData: true }))
						.filter(
							(e) =>
								e.stoppedAt &&
								(e.nodes['SIP Caller Trigger']?.[0] as { id?: string })?.id === json.id,
						)
						.map((e) => e.id),
				).size;
				if (runs >= expected || Date.now() > deadline) return runs;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		};
		expect(await runsOf(1)).toBe(1);
		if (other) {
			// Queue mode, a second webhook process: its memory has not seen the id (a documented double).
			expect(JSON.parse((await postTo(other)).text)).toMatchObject({ received: true });
			expect(await runsOf(2)).toBe(2);
		}
	}, 120_000);

	it('no secret appears in n8n’s log', () => {
		const logs = n8n.logs();
		expect(logs.length).toBeGreaterThan(0);
		for (const secret of [CURRENT_SECRET, PREVIOUS_SECRET, PLACEHOLDER_SECRET]) {
			expect(logs).not.toContain(secret);
		}
	});
});

// The sender is the same whatever runs behind the URL: queue mode skips its tests.
const describeSender = QUEUE_MODE ? describe.skip : describe;

describeSender('the sample sender, packed and run with npx as a user runs it', () => {
	let tarball: string;
	// A private npm cache: npx installs the tarball there, never into the user's cache.
	const npmCache = mkdtempSync(join(tmpdir(), 'sip-caller-npx-cache-'));

	function npx(args: string[], env: Record<string, string> = {}) {
		return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
			execFile(
				'npx',
				['--yes', '--package', tarball, 'sip-caller-send', ...args],
				{ env: { ...process.env, npm_config_cache: npmCache, ...env }, timeout: 90_000 },
				(error, stdout, stderr) =>
					done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
			);
		});
	}

	beforeAll(async () => {
		// Packing runs the sender's prepack: its own build (npm run build:sender) fills lib/ and samples/.
		tarball = await harness.packRepo(join(REPO_DIR, 'tools', 'sip-caller-send'));
	}, 120_000);

	it('signs a sample with a fresh event id and starts one execution', async () => {
		const flow = flows.all;
		const before = sink.received.filter((r) => r.path === `/${flow.id}`).length;
		const run = await npx(['CallEnded', '--url', url(flow.webhookId), '--secret', CURRENT_SECRET]);
		expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^200 OK\n/) });
		const receipt = JSON.parse(run.stdout.split('\n')[1]);
		expect(receipt).toMatchObject({ received: true, eventType: 'CallEnded' });
		expect(receipt.eventId).not.toBe(fixtureJson('CallEnded').id);
		expect(receipt.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);

		const items = await sink.waitFor(`/${flow.id}`, before + 1);
		expect(items[before]).toMatchObject({
			id: receipt.eventId,
			type: 'CallEnded',
			data: (fixtureJson('CallEnded') as { data: unknown }).data,
		});
	}, 120_000);

	it('exits 1 with the reason when the secret (from the environment) is wrong: the report, then 401', async () => {
		const flow = flows.senderForged;
		const send = () =>
			npx(['CampaignFinished', '--url', url(flow.webhookId)], {
				SIP_CALLER_SIGNING_SECRET: OTHER_SECRET,
			});
		// The first refusal of the trigger is reported: n8n's 500 (its own sentence: the request may be
		// anyone's), and the reason with the fix in the failed execution.
		expect(await send()).toMatchObject({
			code: 1,
			stdout:
				'500 Internal Server Error\n{"code":0,"message":"Workflow Webhook Error: Workflow could not be started!"}\n',
		});
		const [report] = await executionsOnceThere(flow.id, 1);
		expect(report).toMatchObject({ status: 'error', mode: 'webhook' });
		expect(errorOf(report)).toMatch(
			/^Refused an event whose signature does not match the signing secret/,
		);
		// The next within the window: the trigger's own 401, no execution.
		let run: Awaited<ReturnType<typeof send>> | undefined;
		await expectNoExecution(flow.id, async () => {
			run = await send();
			return { status: 0, text: '' };
		});
		expect(run).toMatchObject({
			code: 1,
			stdout: expect.stringMatching(/^401 Unauthorized\nsignature does not match/),
		});
	}, 180_000);

	it.each([
		[['CallEnded', '--secret', 'c0ffee'], /--url is required/],
		[['CallEnded', '--url', 'URL'], /--secret \(or SIP_CALLER_SIGNING_SECRET\) is required/],
		[
			['CallEnded', '--url', 'URL', '--secret', 'secret-webhook'],
			/^send: the --secret value is not a SIP Caller signing secret \(character 1 of 14 is not a hexadecimal digit\)/,
		],
		[
			['CallEnded', '--url', 'URL', '--secret', 'my-secret'],
			/^send: the --secret value is not a SIP Caller signing secret \(character 1 of 9 is not a hexadecimal digit\)\. Copy the webhook's signing secret from SIP Caller > Settings > Webhooks/,
		],
		[
			['CallEnded', '--url', 'URL', '--secret', 'c0ffee', '--timestamp', 'soon'],
			/--timestamp must be whole Unix seconds/,
		],
	])(
		'exits 2 for %p, sending nothing',
		async (args, message) => {
			const before = await executionCount(flows.all.id);
			const run = await npx(args.map((a) => (a === 'URL' ? url(flows.all.webhookId) : a)));
			expect(run.code).toBe(2);
			expect(run.stderr).toMatch(message);
			// Never the secret itself, even a wrong one (it may be a real secret with a typo).
			for (const secret of ['my-secret', 'secret-webhook'])
				expect(run.stderr).not.toContain(secret);
			expect(run.stdout).toBe('');
			expect(await executionCount(flows.all.id)).toBe(before);
		},
		120_000,
	);

	it('exits 2 with the usage for an unknown event type, sending nothing', async () => {
		const run = await npx([
			'CallStarted',
			'--url',
			url(flows.all.webhookId),
			'--secret',
			CURRENT_SECRET,
		]);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(
			/unknown event type CallStarted\nusage: sip-caller-send <CallEnded\|/,
		);
	}, 120_000);
});

(QUEUE_MODE ? describe : describe.skip)('queue mode: who does what', () => {
	const queue = () => n8n as harness.QueueInstance;

	it('each webhook process took deliveries and queued them; the worker ran every execution', async () => {
		const executions = await n8n.listExecutions(flows.all.id);
		expect(executions.length).toBeGreaterThanOrEqual(EVENT_TYPES.length);
		const log = (name: string) => queue().process(name).logs();
		for (const { id } of executions) {
			expect(log('worker')).toContain(`Worker started execution ${id} `);
			expect(log('main')).not.toContain(`Enqueued execution ${id} `);
		}
		for (const name of queue().processNames.filter((p) => p.startsWith('webhook-')))
			expect(log(name)).toMatch(/Enqueued execution \d+ /);
	});

	it('the main process does not answer production webhooks', async () => {
		const body = fixtureBytes('CallEnded');
		const before = await executionCount(flows.all.id);
		const response = await fetch(`${n8n.baseUrl}/webhook/${flows.all.webhookId}/webhook`, {
			method: 'POST',
			headers: signedHeaders(body),
			body,
		});
		expect(await response.text()).not.toMatch(/"received"/);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await executionCount(flows.all.id)).toBe(before);
	});
});
