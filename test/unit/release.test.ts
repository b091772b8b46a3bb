/**
 * One tag publishes both packages the docs promise (n8n-nodes-sip-caller and sip-caller-send), at
 * one version, each with provenance. `bash .ci/run` also runs both `npm publish --dry-run`s, and
 * the e2e suite runs the sender's packed tarball through npx.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

const REPO = join(__dirname, '..', '..');
const json = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8'));

describe('the release', () => {
	it('gives the sender the node package’s version, and `npm version` keeps it so', () => {
		const root = json('package.json');
		expect(json('tools/sip-caller-send/package.json').version).toBe(root.version);
		expect(root.scripts.version).toBe(
			'node scripts/sync-sender-version.js && git add tools/sip-caller-send/package.json',
		);
	});

	it('publishes both packages from one tag, each with provenance', () => {
		const workflow = readFileSync(join(REPO, '.github/workflows/publish.yml'), 'utf8');
		const publishes = workflow.match(/npm publish --provenance --access public/g) ?? [];
		expect(publishes).toHaveLength(2);
		expect(workflow).toMatch(
			/Publish sip-caller-send[^\n]*\n\s+run: npm publish --provenance --access public\n\s+working-directory: tools\/sip-caller-send/,
		);
		expect(workflow).toMatch(/require\("\.\/tools\/sip-caller-send\/package\.json"\)\.version/);
	});

	it('runs both dry-run publishes in CI', () => {
		const ci = readFileSync(join(REPO, '.ci/run'), 'utf8');
		expect(ci).toMatch(/^npm publish --dry-run$/m);
		expect(ci).toMatch(/^\(cd tools\/sip-caller-send && npm publish --dry-run\)$/m);
	});
});
