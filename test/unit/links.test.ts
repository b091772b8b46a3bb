/**
 * Links that cannot rot: every documentation URL the package ships that points into this
 * repository (codex files, credentials' documentationUrl) and every internal link of the Markdown
 * pages lands on a file that exists and on a heading that page has (GitHub's anchors).
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

import { SipCallerApi } from '../../credentials/SipCallerApi.credentials';
import { SipCallerWebhookApi } from '../../credentials/SipCallerWebhookApi.credentials';

const REPO = resolve(__dirname, '..', '..');
const REPO_URL = 'https://github.com/sip-caller/n8n-nodes-sip-caller';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/`/g, '')
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings (a repeated heading gets -1, -2, … as on GitHub). */
function anchorsOf(file: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (/^\s*```/.test(line)) fenced = !fenced;
		const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
		if (!heading) continue;
		const base = anchorOf(heading[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

/** Markdown pages of the repository (not node_modules, not build output). */
function markdownFiles(dir = REPO): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		if (['node_modules', 'dist', '.git'].includes(entry.name)) return [];
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return markdownFiles(path);
		return entry.name.endsWith('.md') ? [path] : [];
	});
}

/** Where a link points: the file (absolute) and the anchor, or undefined for an outside link. */
function target(from: string, href: string): { file: string; anchor?: string } | undefined {
	if (href.startsWith(`${REPO_URL}#`))
		return { file: join(REPO, 'README.md'), anchor: href.split('#')[1] };
	if (href.startsWith(`${REPO_URL}/blob/main/`)) {
		const [path, anchor] = href.slice(`${REPO_URL}/blob/main/`.length).split('#');
		return { file: join(REPO, path), anchor };
	}
	if (/^[a-z]+:/i.test(href)) return undefined;
	const [path, anchor] = href.split('#');
	return { file: path ? resolve(dirname(from), path) : from, anchor };
}

function broken(from: string, href: string): string | undefined {
	const to = target(from, href);
	if (!to) return undefined;
	if (!existsSync(to.file)) return `${href}: no file ${relative(REPO, to.file)}`;
	if (to.anchor && to.file.endsWith('.md') && !anchorsOf(to.file).has(to.anchor))
		return `${href}: no heading #${to.anchor} in ${relative(REPO, to.file)}`;
	return undefined;
}

describe('documentation links', () => {
	it.each(markdownFiles().map((file) => [relative(REPO, file), file]))(
		'%s: every internal link lands on a file and a heading',
		(_name, file) => {
			const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
			const hrefs = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
			expect(hrefs.map((href) => broken(file, href)).filter(Boolean)).toEqual([]);
		},
	);

	it('the codex files and the credentials point at headings that exist', () => {
		const codex = [
			'nodes/SipCaller/SipCaller.node.json',
			'nodes/SipCaller/trigger/SipCallerTrigger.node.json',
		];
		const urls = codex.flatMap((file) => {
			const json = JSON.parse(readFileSync(join(REPO, file), 'utf8')) as {
				resources: Record<string, Array<{ url: string }>>;
			};
			return Object.values(json.resources).flatMap((list) => list.map((r) => r.url));
		});
		urls.push(new SipCallerApi().documentationUrl, new SipCallerWebhookApi().documentationUrl);
		const inRepo = urls.filter((url) => url.startsWith(REPO_URL));
		expect(inRepo.length).toBeGreaterThanOrEqual(4);
		expect(inRepo.map((url) => broken(join(REPO, 'README.md'), url)).filter(Boolean)).toEqual([]);
	});

	it('the check itself: a renamed heading breaks the link to it', () => {
		expect(anchorOf('Credential: SIP Caller Webhook API')).toBe(
			'credential-sip-caller-webhook-api',
		);
		expect(anchorOf('In process (`npm run bench`)')).toBe('in-process-npm-run-bench');
		const readme = join(REPO, 'README.md');
		expect(broken(readme, '#troubleshooting')).toBeUndefined();
		expect(broken(readme, '#credential-sip-caller-webhook')).toMatch(/no heading/);
		expect(broken(readme, 'docs/nowhere.md')).toMatch(/no file/);
	});
});
