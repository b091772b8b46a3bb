import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

/** A server on 127.0.0.1 that records what the workflows' HTTP Request nodes post to it. */
export interface Sink {
	url: string;
	received: Array<{ path: string; json: unknown }>;
	/** Resolves once `count` posts arrived on `path`, or rejects after `timeoutMs`. */
	waitFor(path: string, count: number, timeoutMs?: number): Promise<unknown[]>;
	/** How the sink answers posts on `path` from now on: after `delayMs`, with `status`. */
	answer(path: string, how: { delayMs?: number; status?: number }): void;
	close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
	const received: Sink['received'] = [];
	const answers = new Map<string, { delayMs?: number; status?: number }>();
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let json: unknown = text;
			try {
				json = JSON.parse(text);
			} catch {
				// keep the text: the assertion will show it
			}
			received.push({ path: req.url ?? '', json });
			const { delayMs = 0, status = 200 } = answers.get(req.url ?? '') ?? {};
			setTimeout(() => {
				res.writeHead(status, { 'content-type': 'application/json' }).end(`{"ok":${status < 300}}`);
			}, delayMs);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const on = (path: string) => received.filter((r) => r.path === path).map((r) => r.json);
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		async waitFor(path, count, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			while (on(path).length < count) {
				if (Date.now() > deadline) {
					throw new Error(
						`sink: ${on(path).length} of ${count} posts on ${path} after ${timeoutMs} ms`,
					);
				}
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return on(path);
		},
		answer: (path, how) => answers.set(path, how),
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
