/**
 * The harness (scripts/n8n/harness: plain JS so a user can run it without a build) for the e2e
 * tests. Its types come from the JS itself (JSDoc, checked by `npm run typecheck`), not from a copy.
 */
import { createServer } from 'net';
import { resolve } from 'path';

import * as harness from '../../scripts/n8n/harness';

export { harness };
export type Harness = typeof harness;
export type N8nInstance = Awaited<ReturnType<Harness['createInstance']>>;
export type ExecutionSummary = harness.ExecutionSummary;
export type Execution = harness.Execution;

export const REPO_DIR = resolve(__dirname, '..', '..');

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
