/**
 * The package as a plain Node library, installed as docs/library.md says (`npm install
 * n8n-nodes-sip-caller zod@^3.24`) into a new project, running that page's own example inside an
 * HTTP handler: a signed CallEnded is read and typed, a forged one is refused.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { signPayload } from '../../nodes/SipCaller/core';
import { fixtureBytes } from '../helpers/fixtures';
import { freePortPair, harness, REPO_DIR } from './harness';

const SECRET = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** The first ```js block of docs/library.md's "Example" section, as a user would copy it. */
function docsExample(): string {
	const page = readFileSync(join(REPO_DIR, 'docs', 'library.md'), 'utf8');
	const section = page.slice(page.indexOf('## Example'));
	const match = /```js\n([\s\S]*?)```/.exec(section);
	if (!match) throw new Error('no js example in docs/library.md "Example"');
	return match[1];
}

let project: string;
let server: ChildProcess;
let port: number;
let output = '';

beforeAll(async () => {
	const tarball = await harness.packRepo(REPO_DIR);
	project = mkdtempSync(join(tmpdir(), 'sip-caller-library-'));
	execFileSync('npm', ['init', '-y'], { cwd: project, stdio: 'ignore' });
	execFileSync('npm', ['install', '--no-audit', '--no-fund', tarball, 'zod@^3.24'], {
		cwd: project,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	rmSync(join(tarball, '..'), { recursive: true, force: true });
	port = await freePortPair();
	// The page's code, unchanged, as the body of a plain Node HTTP handler.
	writeFileSync(
		join(project, 'server.js'),
		`const http = require('http');
const secret = process.env.SIP_CALLER_SECRET;
const previousSecret = '';
http
	.createServer((req, response) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks);
			const res = {
				status(code) { response.statusCode = code; return this; },
				send(text) { response.end(String(text)); },
			};
			(() => {
${docsExample()}
			})();
			if (!response.writableEnded) response.end('ok');
		});
	})
	.listen(${port}, '127.0.0.1', () => console.log('listening'));
`,
	);
	server = spawn(process.execPath, ['server.js'], {
		cwd: project,
		env: { ...process.env, SIP_CALLER_SECRET: SECRET },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	server.stdout!.on('data', (chunk) => (output += chunk));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no server: ${output}`)), 20_000);
		server.stdout!.on('data', () => {
			if (output.includes('listening')) {
				clearTimeout(timer);
				resolve();
			}
		});
	});
}, 300_000);

afterAll(() => {
	server?.kill();
	if (project) rmSync(project, { recursive: true, force: true });
});

async function post(body: Buffer, signature: string) {
	const response = await fetch(`http://127.0.0.1:${port}/`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'sip-caller-signature': signature },
		body,
	});
	return { status: response.status, text: await response.text() };
}

describe('the library, installed with npm into a plain Node project', () => {
	it('installs without n8n: no n8n-workflow, zod from the project', () => {
		const installed = JSON.parse(
			execFileSync('npm', ['ls', '--json', '--all'], { cwd: project, encoding: 'utf8' }),
		);
		expect(Object.keys(installed.dependencies).sort()).toEqual(['n8n-nodes-sip-caller', 'zod']);
		// n8n-workflow is an optional peer: npm does not install it.
		expect(existsSync(join(project, 'node_modules', 'n8n-workflow'))).toBe(false);
	});

	it("runs docs/library.md's example: a signed CallEnded is typed and read", async () => {
		const body = fixtureBytes('CallEnded');
		const sent = await post(body, signPayload(body, SECRET));
		expect(sent).toEqual({ status: 200, text: 'ok' });
		await new Promise((resolve) => setTimeout(resolve, 200));
		// The example logs the call's ring result.
		expect(output).toContain('Answer');
	});

	it('refuses a forged event with 401 and the reason', async () => {
		const body = fixtureBytes('CallEnded');
		const other = 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100';
		const sent = await post(body, signPayload(body, other));
		expect(sent.status).toBe(401);
		expect(sent.text).toMatch(/^signature does not match/);
	});
});
