/**
 * The harness (scripts/n8n/harness: plain JS so a user can run it without a build) for the e2e
 * tests. Its types come from the JS itself (JSDoc, checked by `npm run typecheck`), not from a copy.
 */
import { resolve } from 'path';

import * as harness from '../../scripts/n8n/harness';

export { harness };
export type Harness = typeof harness;
export type N8nInstance = Awaited<ReturnType<Harness['createInstance']>>;
export type QueueInstance = harness.QueueInstance;
export type ExecutionSummary = harness.ExecutionSummary;
export type Execution = harness.Execution;

export const REPO_DIR = resolve(__dirname, '..', '..');

/**
 * Which n8n a suite that uses createN8n()/startN8n() runs against: `regular` (default: one
 * `n8n start` with SQLite) or `queue` (SIP_CALLER_N8N_MODE=queue: PostgreSQL, Redis, a main
 * process, two webhook processes that take the deliveries, and a worker that runs them).
 */
export const N8N_MODE = ((): 'regular' | 'queue' => {
	const mode = process.env.SIP_CALLER_N8N_MODE || 'regular';
	if (mode !== 'regular' && mode !== 'queue')
		throw new Error(`SIP_CALLER_N8N_MODE must be regular or queue, not ${mode}`);
	return mode;
})();
export const QUEUE_MODE = N8N_MODE === 'queue';

/** An n8n of either mode: REST and executions from `baseUrl`, deliveries to `webhookUrls`. */
export type E2eN8n = N8nInstance | QueueInstance;

/** A new n8n of N8N_MODE, not started (queue mode: its PostgreSQL and Redis already run). */
export async function createN8n(): Promise<E2eN8n> {
	if (QUEUE_MODE) return harness.createQueueInstance({ webhookProcesses: 2 });
	return harness.createInstance({ port: await freePortPair() });
}

export interface StartN8nOptions {
	/** the packed package, installed into every user folder as n8n's installer does */
	tarball: string;
	credentials: harness.CredentialJson[];
	/** imported and published */
	workflows: Array<{ id: string; json: harness.WorkflowJson }>;
	/** production webhook URLs to wait for (each webhook process must serve them) */
	webhooks: (n8n: E2eN8n) => string[];
}

/**
 * createN8n(), the package installed, credentials and workflows imported and published, n8n
 * started, the owner set up, and every webhook of `webhooks` registered. `installedDirs`: the
 * package's folder in each user folder.
 */
export async function startN8n({
	tarball,
	credentials,
	workflows,
	webhooks,
}: StartN8nOptions): Promise<{ n8n: E2eN8n; installedDirs: string[] }> {
	const n8n = await createN8n();
	try {
		const installed = await n8n.installPackage(tarball);
		await n8n.importCredentials(credentials);
		for (const flow of workflows) {
			await n8n.importWorkflow(flow.json);
			await n8n.publishWorkflow(flow.id);
		}
		await n8n.start();
		await n8n.setupOwner();
		for (const url of webhooks(n8n)) await n8n.waitForWebhook(url);
		const dirs = (installed as { dirs?: string[] }).dirs ?? [installed.dir];
		return { n8n, installedDirs: dirs };
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

/**
 * jest's `it`, except that the tests named in `skips` are skipped in queue mode; each name maps
 * to the reason (shown here, next to the test file's list).
 */
export function skippedInQueueMode(skips: Record<string, string>): jest.It {
	const wrapped = ((name: string, fn?: jest.ProvidesCallback, timeout?: number) =>
		(QUEUE_MODE && name in skips ? it.skip : it)(name, fn, timeout)) as jest.It;
	return Object.assign(wrapped, it);
}

/** n8n takes the port and port + 1 (task-runner broker): a free pair on 127.0.0.1. */
export const freePortPair: () => Promise<number> = harness.freePortPair;
