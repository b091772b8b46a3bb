/**
 * The library's public surface (docs/library.md): exactly the documented names, so a renamed
 * internal helper can never break a library user, and a new export is a decision, not an accident.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';

import * as core from '../../nodes/SipCaller/core';

const DOCUMENTED = [
	'ALL_EVENTS',
	'ANSWER_PREFIX',
	'CAMPAIGN_EVENT_TYPES',
	'DEFAULT_MAX_AGE_SECONDS',
	'DEFAULT_MAX_FUTURE_SECONDS',
	'DeliveryLedger',
	'EVENT_TYPES',
	'SIGNATURE_HEADER',
	'VARIABLE_PREFIX',
	'callDetailsSchema',
	'callEndedSchema',
	'campaignActivatedSchema',
	'campaignCanceledSchema',
	'campaignFinishedSchema',
	'campaignPausedSchema',
	'campaignResumedSchema',
	'campaignSchema',
	'customerSchema',
	'decide',
	'describeSignatureFailure',
	'durationToSeconds',
	'generateSigningSecret',
	'genericEventSchema',
	'isCampaignEvent',
	'isKnownEventType',
	'isValidSigningSecret',
	'parseEvent',
	'parseGatheredData',
	'signPayload',
	'sipCallerEventSchema',
	'toIsoUtc',
	'toSimplifiedRow',
	'verifySignature',
];

describe('library entry', () => {
	it('exports exactly the documented names', () => {
		expect(Object.keys(core).sort()).toEqual([...DOCUMENTED].sort());
	});

	it('documents every exported name in docs/library.md', () => {
		const page = readFileSync(resolve(__dirname, '..', '..', 'docs', 'library.md'), 'utf8');
		const undocumented = DOCUMENTED.filter((name) => !page.includes(`\`${name}`));
		expect(undocumented).toEqual([]);
	});

	it('is what index.js points at', () => {
		// index.js loads the compiled core; here the source stands in for dist/ (same module path).
		const indexJs = readFileSync(resolve(__dirname, '..', '..', 'index.js'), 'utf8');
		expect(indexJs).toMatch(/require\('\.\/dist\/nodes\/SipCaller\/core\/index\.js'\)/);
	});
});
