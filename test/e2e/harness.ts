/** Typed access to scripts/n8n/harness.js (plain JS so a user can run it without a build). */
import { createServer } from 'net';
import { resolve } from 'path';

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	nodes?: Record<string, unknown[]>;
}

export interface N8nInstance {
	baseUrl: string;
	port: number;
	dir: string;
	installPackage(tarballOrRepoDir: string): Promise<{ name: string; version: string; dir: string }>;
	importCredentials(credentials: unknown[]): Promise<void>;
	importWorkflow(workflow: unknown): Promise<void>;
	publishWorkflow(id: string): Promise<void>;
	start(options?: { timeoutMs?: number }): Promise<void>;
	stop(options?: { timeoutMs?: number }): Promise<void>;
	waitForWebhook(url: string, options?: { method?: string; timeoutMs?: number }): Promise<void>;
	setupOwner(): Promise<{ email: string; password: string }>;
	listExecutions(workflowId: string, options?: { withData?: boolean }): Promise<ExecutionSummary[]>;
	getExecution(id: string): Promise<ExecutionSummary>;
	nodeTypes(): Promise<string[]>;
	rest(method: string, path: string, body?: unknown): Promise<unknown>;
	logs(): string;
}

export interface Harness {
	ensureN8n(options?: { version?: string }): Promise<{ version: string }>;
	packRepo(repoDir: string): Promise<string>;
	createInstance(options?: {
		port?: number;
		dir?: string;
		env?: Record<string, string>;
	}): Promise<N8nInstance>;
}

export const REPO_DIR = resolve(__dirname, '..', '..');

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const harness: Harness = require(resolve(REPO_DIR, 'scripts', 'n8n', 'harness.js'));

/** n8n takes the port and port + 1 (task-runner broker): find a free pair on 127.0.0.1. */
export async function freePortPair(): Promise<number> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = 20000 + Math.floor(Math.random() * 30000);
		const free = await Promise.all([port, port + 1].map(isFree));
		if (free.every(Boolean)) return port;
	}
	throw new Error('no free port pair');
}

function isFree(port: number): Promise<boolean> {
	return new Promise((done) => {
		const server = createServer();
		server.once('error', () => done(false));
		server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
	});
}
