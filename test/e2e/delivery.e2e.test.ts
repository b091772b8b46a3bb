/**
 * What SIP Caller gets back, and when, in a real n8n: the two Respond modes, duplicate deliveries
 * and failed runs. Each workflow is SIP Caller Trigger → HTTP Request to a sink whose answer (delay,
 * status) the test sets, so "the workflow ran" means the sink received the event.
 */
import { fixtureJson } from '../helpers/fixtures';
import { signPayload } from '../../nodes/SipCaller/core';
import { freePortPair, harness, REPO_DIR, type N8nInstance } from './harness';
import { startSink, type Sink } from './sink';
import { credentials, CURRENT_SECRET, workflow } from './workflows';

let n8n: N8nInstance;
let sink: Sink;
let flows: ReturnType<typeof deliveryWorkflows>;

function deliveryWorkflows(sinkUrl: string) {
	const flow = (id: string, options: Record<string, unknown>) =>
		workflow(id, id, ['*'], 'sipE2eCredGood', sinkUrl, options, 2, { output: 'full' });
	return {
		immediately: flow('sipE2eRespondImmediately', {}),
		afterWorkflow: flow('sipE2eRespondAfter', { respond: 'afterWorkflow' }),
		afterNoDedup: flow('sipE2eRespondAfterNoDedup', {
			respond: 'afterWorkflow',
			deduplicate: false,
		}),
		// Its own credential: the test changes its secret.
		secretChange: workflow(
			'sipE2eSecretChange',
			'sipE2eSecretChange',
			['*'],
			ROTATED_CREDENTIAL.id,
			sinkUrl,
			{},
			2,
			{ output: 'full' },
		),
	};
}

const NEW_SECRET = '5eed5eed'.repeat(8);
const ROTATED_CREDENTIAL = {
	id: 'sipE2eCredChanged',
	name: 'SIP Caller Webhook (e2e, secret changed by the test)',
	type: 'sipCallerWebhookApi',
	data: { signingSecret: CURRENT_SECRET, previousSigningSecret: '' },
};

let counter = 0;
/** A CallEnded with a fresh id (UUIDv7-shaped), and its bytes. */
function newEvent() {
	const id = `01928322-860c-77f9-9c3b-${String(++counter).padStart(12, '0')}`;
	return { id, body: JSON.stringify({ ...fixtureJson('CallEnded'), id }) };
}

interface Answer {
	status: number;
	text: string;
	contentType: string | null;
	ms: number;
}

async function deliver(flowId: string, body: string, secret = CURRENT_SECRET): Promise<Answer> {
	const started = Date.now();
	const response = await fetch(`${n8n.baseUrl}/webhook/${flowId}/webhook`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'sip-caller-signature': signPayload(body, secret, Math.floor(Date.now() / 1000)),
		},
		body,
	});
	const text = await response.text();
	return {
		status: response.status,
		text,
		contentType: response.headers.get('content-type'),
		ms: Date.now() - started,
	};
}

/** The event ids the sink received from a workflow, in order. */
function ran(flowId: string): string[] {
	return sink.received
		.filter((r) => r.path === `/${flowId}`)
		.map((r) => (r.json as { id: string }).id);
}

const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(
	async () => {
		await harness.ensureN8n();
		const tarball = await harness.packRepo(REPO_DIR);
		sink = await startSink();
		flows = deliveryWorkflows(sink.url);
		n8n = await harness.createInstance({ port: await freePortPair() });
		await n8n.installPackage(tarball);
		await n8n.importCredentials([...credentials, ROTATED_CREDENTIAL]);
		for (const flow of Object.values(flows)) {
			await n8n.importWorkflow(flow.json);
			await n8n.publishWorkflow(flow.id);
		}
		await n8n.start();
		await n8n.setupOwner();
		for (const flow of Object.values(flows)) {
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${flow.webhookId}/webhook`);
		}
	},
	20 * 60 * 1000,
);

afterAll(async () => {
	await n8n?.stop();
	await sink?.close();
});

describe('Respond: Immediately (the default)', () => {
	const id = () => flows.immediately.id;

	it('answers 200 with the receipt, and the workflow runs', async () => {
		const event = newEvent();
		const answer = await deliver(id(), event.body);
		expect(answer.status).toBe(200);
		expect(answer.contentType).toMatch(/application\/json/);
		expect(JSON.parse(answer.text)).toEqual({
			received: true,
			eventId: event.id,
			eventType: 'CallEnded',
		});
		await settle();
		expect(ran(id())).toContain(event.id);
	});

	it('a repeated id is "duplicate" and runs nothing; after a restart it runs again (memory only)', async () => {
		const event = newEvent();
		expect((await deliver(id(), event.body)).status).toBe(200);
		await settle();
		const retry = await deliver(id(), event.body);
		expect(retry.status).toBe(200);
		expect(JSON.parse(retry.text)).toMatchObject({ ignored: true, reason: 'duplicate' });
		await settle();
		expect(ran(id()).filter((e) => e === event.id)).toHaveLength(1);

		// The ledger is this process's memory: SIP Caller resends only what got no 2xx, so after a
		// restart a resend is a delivery whose answer was lost, and running it again is the safe side.
		await n8n.stop();
		await n8n.start();
		await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${id()}/webhook`);
		expect(JSON.parse((await deliver(id(), event.body)).text)).toMatchObject({ received: true });
		await settle();
		expect(ran(id()).filter((e) => e === event.id)).toHaveLength(2);
	}, 180_000);
});

describe('Respond: When the Workflow Has Finished', () => {
	const id = () => flows.afterWorkflow.id;

	it('answers 200 (no body) only once the workflow has finished', async () => {
		sink.answer(`/${id()}`, { delayMs: 2000 });
		const event = newEvent();
		const answer = await deliver(id(), event.body);
		expect(answer.status).toBe(200);
		expect(answer.text).toBe('');
		expect(answer.ms).toBeGreaterThanOrEqual(2000);
		expect(ran(id())).toContain(event.id);
		sink.answer(`/${id()}`, {});
	});

	it('a retry while the first delivery runs is 409 and starts nothing; once done, "duplicate"', async () => {
		sink.answer(`/${id()}`, { delayMs: 3000 });
		const event = newEvent();
		const first = deliver(id(), event.body);
		await settle(1000);
		const during = await deliver(id(), event.body);
		expect(during.status).toBe(409);
		expect(during.text).toMatch(/still being processed by an earlier delivery/);
		expect((await first).status).toBe(200);
		sink.answer(`/${id()}`, {});
		const after = await deliver(id(), event.body);
		expect(after.status).toBe(200);
		expect(JSON.parse(after.text)).toMatchObject({ ignored: true, reason: 'duplicate' });
		await settle();
		expect(ran(id()).filter((e) => e === event.id)).toHaveLength(1);
	}, 60_000);

	it('SIP Caller hanging up before the answer lets its retry run (it cannot know the first will finish)', async () => {
		sink.answer(`/${id()}`, { delayMs: 3000 });
		const event = newEvent();
		const hangUp = new AbortController();
		const first = fetch(`${n8n.baseUrl}/webhook/${id()}/webhook`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'sip-caller-signature': signPayload(
					event.body,
					CURRENT_SECRET,
					Math.floor(Date.now() / 1000),
				),
			},
			body: event.body,
			signal: hangUp.signal,
		}).catch(() => undefined);
		await settle(1000);
		hangUp.abort();
		await first;
		await settle(300);
		sink.answer(`/${id()}`, {});
		const retry = await deliver(id(), event.body);
		expect(retry.status).toBe(200);
		await settle(4000);
		expect(ran(id()).filter((e) => e === event.id)).toHaveLength(2);
		// Both runs answered 2xx in the end: a further resend is "duplicate".
		expect(JSON.parse((await deliver(id(), event.body)).text)).toMatchObject({
			reason: 'duplicate',
		});
	}, 60_000);

	it('a failed workflow answers 500, and SIP Caller’s retry runs it again', async () => {
		sink.answer(`/${id()}`, { status: 503 });
		const event = newEvent();
		const failed = await deliver(id(), event.body);
		expect(failed.status).toBe(500);
		sink.answer(`/${id()}`, {});
		const retry = await deliver(id(), event.body);
		expect(retry.status).toBe(200);
		expect(ran(id()).filter((e) => e === event.id)).toHaveLength(2);
		const executions = await n8n.listExecutions(id());
		expect(executions.slice(0, 2).map((e) => e.status)).toEqual(['success', 'error']);
	}, 60_000);

	it('a forged delivery is answered at once: the first of the window is the report, the next 401 with no execution', async () => {
		const before = (await n8n.listExecutions(id())).length;
		// The first refusal of its kind in 5 minutes is reported: n8n's 500 and one failed
		// execution of the trigger (README, Troubleshooting); it does not wait for a workflow.
		const report = await deliver(id(), newEvent().body, '11'.repeat(32));
		expect(report.status).toBe(500);
		await settle();
		const afterReport = await n8n.listExecutions(id());
		expect(afterReport).toHaveLength(before + 1);
		expect(afterReport[0]).toMatchObject({ status: 'error', mode: 'webhook' });
		const forged = await deliver(id(), newEvent().body, '11'.repeat(32));
		expect(forged.status).toBe(401);
		await settle();
		expect((await n8n.listExecutions(id())).length).toBe(before + 1);
	});

	it('with Ignore Duplicate Deliveries off, a concurrent retry runs a second time', async () => {
		const flowId = flows.afterNoDedup.id;
		sink.answer(`/${flowId}`, { delayMs: 1500 });
		const event = newEvent();
		const answers = await Promise.all([deliver(flowId, event.body), deliver(flowId, event.body)]);
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		expect(ran(flowId).filter((e) => e === event.id)).toHaveLength(2);
	}, 60_000);
});

describe('The signing secret, kept in memory for a few seconds', () => {
	const id = () => flows.secretChange.id;

	it('a secret changed in n8n works on its first event, and the replaced one is refused at once', async () => {
		const first = newEvent();
		expect((await deliver(id(), first.body)).status).toBe(200);

		// What the credential dialog does when the user pastes SIP Caller's regenerated secret.
		await n8n.rest('PATCH', `/rest/credentials/${ROTATED_CREDENTIAL.id}`, {
			name: ROTATED_CREDENTIAL.name,
			type: ROTATED_CREDENTIAL.type,
			data: { signingSecret: NEW_SECRET, previousSigningSecret: '' },
		});
		// Well within the 5 seconds the old secret is remembered: the new one still works at once.
		const second = newEvent();
		const answer = await deliver(id(), second.body, NEW_SECRET);
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text)).toMatchObject({ received: true, eventId: second.id });

		// That fresh read replaced what was remembered: the old secret no longer verifies. Its first
		// refusal is the report (n8n's 500, a failed execution of the trigger, nothing run).
		await settle();
		const before = (await n8n.listExecutions(id())).length;
		const old = newEvent();
		expect((await deliver(id(), old.body, CURRENT_SECRET)).status).toBe(500);
		await settle();
		expect(ran(id())).toEqual([first.id, second.id]);
		const executions = await n8n.listExecutions(id());
		expect(executions).toHaveLength(before + 1);
		expect(executions[0]).toMatchObject({ status: 'error', mode: 'webhook' });
		// The next is the trigger's own 401, and no execution.
		expect((await deliver(id(), newEvent().body, CURRENT_SECRET)).status).toBe(401);
		await settle();
		expect(ran(id())).toEqual([first.id, second.id]);
		expect((await n8n.listExecutions(id())).length).toBe(before + 1);
	}, 60_000);
});
