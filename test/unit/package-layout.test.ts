/**
 * What n8n reads from the package besides the code: the files package.json's "n8n" section names,
 * and the `file:` icons, which n8n resolves relative to the compiled node or credential file
 * (dist/ mirrors the source tree, so resolving against the source file proves the same path).
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';

import { SipCallerApi } from '../../credentials/SipCallerApi.credentials';
import { SipCallerWebhookApi } from '../../credentials/SipCallerWebhookApi.credentials';
import { SipCaller } from '../../nodes/SipCaller/SipCaller.node';
import { SipCallerTrigger } from '../../nodes/SipCaller/trigger/SipCallerTrigger.node';

const REPO = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** dist/x/Y.node.js → x/Y.node.ts */
const sourceOf = (built: string) => built.replace(/^dist\//, '').replace(/\.js$/, '.ts');

type Icon = { light: string; dark: string };
const cases: Array<[string, string, Icon]> = [
	[
		'SIP Caller node',
		'nodes/SipCaller/SipCaller.node.ts',
		new SipCaller().description.icon as Icon,
	],
	[
		'SIP Caller Trigger',
		'nodes/SipCaller/trigger/SipCallerTrigger.node.ts',
		new SipCallerTrigger().description.icon as Icon,
	],
	['SIP Caller API', 'credentials/SipCallerApi.credentials.ts', new SipCallerApi().icon as Icon],
	[
		'SIP Caller Webhook',
		'credentials/SipCallerWebhookApi.credentials.ts',
		new SipCallerWebhookApi().icon as Icon,
	],
];

describe('package layout', () => {
	it('lists both nodes and both credentials, each built from a source file that exists', () => {
		expect(pkg.n8n.nodes.map(sourceOf).sort()).toEqual([
			'nodes/SipCaller/SipCaller.node.ts',
			'nodes/SipCaller/trigger/SipCallerTrigger.node.ts',
		]);
		expect(pkg.n8n.credentials.map(sourceOf).sort()).toEqual([
			'credentials/SipCallerApi.credentials.ts',
			'credentials/SipCallerWebhookApi.credentials.ts',
		]);
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials].map(sourceOf)) {
			expect(existsSync(join(REPO, file))).toBe(true);
		}
	});

	it.each(cases)(
		'%s: light and dark icons resolve to the one shared icons folder',
		(_, file, icon) => {
			for (const ref of [icon.light, icon.dark]) {
				expect(ref).toMatch(/^file:/);
				const target = resolve(REPO, dirname(file), ref.slice('file:'.length));
				expect(dirname(target)).toBe(join(REPO, 'icons'));
				expect(existsSync(target)).toBe(true);
			}
			expect(icon.light).not.toBe(icon.dark);
		},
	);

	it("names both credentials as n8n's scanner wants (ending in API), keeping their type names", () => {
		expect(
			[new SipCallerApi(), new SipCallerWebhookApi()].map((c) => [c.name, c.displayName]),
		).toEqual([
			['sipCallerApi', 'SIP Caller API'],
			['sipCallerWebhookApi', 'SIP Caller Webhook API'],
		]);
	});

	it('declares n8n-workflow as its only peer, optional, and nothing else for n8n to install', () => {
		const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
		expect(manifest.dependencies).toBeUndefined();
	});

	it('keeps each codex file beside its node', () => {
		for (const file of pkg.n8n.nodes.map(sourceOf)) {
			expect(existsSync(join(REPO, file.replace(/\.ts$/, '.json')))).toBe(true);
		}
	});
});
