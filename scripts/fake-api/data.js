// @ts-check
'use strict';
/**
 * Seed data of the fake SIP Caller REST API (see server.js). Campaigns are shaped exactly like the
 * `campaign` object of SIP Caller's webhook events (test/fixtures/CampaignActivated.json), plus
 * `tagIds`, so what the API returns and what the trigger receives can be compared field by field.
 */

/**
 * @typedef {object} NamedRef
 * @property {string} id
 * @property {string} name
 */

/** @typedef {'Draft' | 'Active' | 'Paused' | 'Canceled' | 'Finished'} CampaignStatus */
/** @typedef {'Static' | 'Dynamic'} CampaignType */
/** @typedef {'Power' | 'Predictive'} DialerMode */

/** @type {readonly CampaignStatus[]} */
const CAMPAIGN_STATUSES = ['Draft', 'Active', 'Paused', 'Canceled', 'Finished'];
/** @type {readonly CampaignType[]} */
const CAMPAIGN_TYPES = ['Static', 'Dynamic'];
/** @type {readonly DialerMode[]} */
const DIALER_MODES = ['Power', 'Predictive'];

/**
 * @typedef {object} Campaign
 * @property {string} id
 * @property {string} name
 * @property {(NamedRef & { extension: NamedRef | null }) | null} phoneSystem
 * @property {{ mode: DialerMode } | null} dialer
 * @property {CampaignStatus} status
 * @property {CampaignType} type
 * @property {string | null} startDate  "YYYY-MM-DD"
 * @property {string | null} endDate
 * @property {string | null} timeZoneId
 * @property {{ forHuman: NamedRef | null, forMachine: NamedRef | null } | null} callflow
 * @property {string[]} varNames  Names of the campaign variables; a number's varValues[i] is the
 *   value of varNames[i].
 * @property {string | null} startedAt  UTC without zone, like "2024-10-12T23:48:50.824"
 * @property {string | null} endedAt
 * @property {string[]} tagIds
 */

/**
 * @typedef {object} CampaignNumber
 * @property {string} id
 * @property {string} number
 * @property {string[]} varValues
 * @property {string} status
 * @property {string} createdAt
 */

/** The demo customer of the fixtures: the account the fake API key belongs to. */
const FAKE_ACCOUNT_ID = '0192830c-58a0-7be2-8e3d-dc8997d0a631';
const FAKE_API_KEY = 'sc_test_6f1d2a9c4b7e8f3015a2c9d8e7b6a5f4';
/** An account that exists, but not for FAKE_API_KEY. */
const OTHER_ACCOUNT_ID = '0192830c-aaaa-7bbb-8ccc-dddddddddddd';

const FAKE_PHONE_SYSTEMS = /** @type {const} */ ({
	main: { id: '01928310-2d96-7a70-bdfc-4bcd24c22c95', name: 'My Phone System' },
	backup: { id: '01928310-9e41-7c3a-a1f0-5b6c7d8e9f01', name: 'Backup PBX' },
});

const FAKE_EXTENSIONS = /** @type {const} */ ({
	main: { id: '07bcd1de-1e5d-47b5-99bf-b846c7a12f09', name: 'SIP Caller Extension' },
	backup: { id: '01928311-4b2c-7d3e-9f40-a1b2c3d4e5f6', name: 'Backup Extension' },
});

const FAKE_TAGS = /** @type {const} */ ({
	sales: { id: '01928312-1111-7aaa-8bbb-000000000001', name: 'Sales' },
	collections: { id: '01928312-2222-7aaa-8bbb-000000000002', name: 'Collections' },
	archive: { id: '01928312-3333-7aaa-8bbb-000000000003', name: 'Archive' },
});

const FAKE_CAMPAIGNS = /** @type {const} */ ({
	campaign1: { id: '0192831a-fbbe-735f-b385-a3252781817d', name: 'Campaign 1' },
	collections: { id: '0193a4b2-5c10-7e21-9a3b-4c5d6e7f8a90', name: 'Collections (dynamic)' },
	reminders: { id: '0193a4b2-6d21-7f32-8b4c-5d6e7f8a9b01', name: 'Reminders (draft)' },
	survey: { id: '0193a4b2-7e32-7043-ac5d-6e7f8a9b0c12', name: 'Survey no variables' },
	predictive: { id: '0193a4b2-8f43-7154-bd6e-7f8a9b0c1d23', name: 'Predictive outreach' },
});

const ARCHIVE_COUNT = 250;

const SURVEY = { id: '01928316-cfd7-75c7-bb6d-9128e205c53f', name: 'Survey' };

/**
 * @param {NamedRef} ref
 * @param {Partial<Campaign> & Pick<Campaign, 'status' | 'type' | 'startDate'>} fields
 * @returns {Campaign}
 */
function campaign(ref, fields) {
	return {
		...ref,
		phoneSystem: { ...FAKE_PHONE_SYSTEMS.main, extension: { ...FAKE_EXTENSIONS.main } },
		dialer: { mode: 'Power' },
		endDate: null,
		timeZoneId: 'America/Argentina/Buenos_Aires',
		callflow: { forHuman: { ...SURVEY }, forMachine: null },
		varNames: [],
		startedAt: null,
		endedAt: null,
		tagIds: [],
		...fields,
	};
}

/**
 * "Archive 001".."Archive 250": Static, Finished, start dates spread over 2024.
 * @param {number} n
 * @returns {Campaign}
 */
function archive(n) {
	/** @param {number} offset */
	const day = (offset) =>
		new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
	const offset = Math.floor(((n - 1) * 365) / ARCHIVE_COUNT);
	const [startDate, endDate] = [day(offset), day(offset + 1)];
	return campaign(
		{
			id: `01930000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`,
			name: `Archive ${String(n).padStart(3, '0')}`,
		},
		{
			status: 'Finished',
			type: 'Static',
			startDate,
			endDate,
			startedAt: `${startDate}T12:00:00.000`,
			endedAt: `${endDate}T21:00:00.000`,
			tagIds: [FAKE_TAGS.archive.id],
		},
	);
}

/**
 * A fresh copy of the seed campaigns (255: 5 named, then the archive).
 * @returns {Campaign[]}
 */
function seedCampaigns() {
	const { campaign1, collections, reminders, survey, predictive } = FAKE_CAMPAIGNS;
	return [
		campaign(campaign1, {
			status: 'Active',
			type: 'Static',
			startDate: '2024-10-12',
			endDate: '2024-10-13',
			varNames: ['Customer Name', 'Due Balance'],
			tagIds: [FAKE_TAGS.sales.id],
		}),
		campaign(collections, {
			status: 'Active',
			type: 'Dynamic',
			startDate: '2025-01-06',
			varNames: ['Customer Name', 'Due Balance'],
			startedAt: '2025-01-06T12:00:00.000',
			tagIds: [FAKE_TAGS.collections.id, FAKE_TAGS.sales.id],
		}),
		campaign(reminders, {
			status: 'Draft',
			type: 'Dynamic',
			startDate: '2025-02-01',
			varNames: ['First Name'],
		}),
		campaign(survey, {
			status: 'Active',
			type: 'Dynamic',
			startDate: '2024-12-15',
			startedAt: '2024-12-15T13:30:00.000',
		}),
		campaign(predictive, {
			phoneSystem: { ...FAKE_PHONE_SYSTEMS.backup, extension: { ...FAKE_EXTENSIONS.backup } },
			dialer: { mode: 'Predictive' },
			status: 'Paused',
			type: 'Dynamic',
			startDate: '2024-11-20',
			startedAt: '2024-11-20T14:00:00.000',
			tagIds: [FAKE_TAGS.sales.id],
		}),
		...Array.from({ length: ARCHIVE_COUNT }, (_, i) => archive(i + 1)),
	];
}

/**
 * A fresh copy of the seed numbers, by campaign id: three already in "Collections (dynamic)".
 * @returns {Map<string, CampaignNumber[]>}
 */
function seedNumbers() {
	/**
	 * @param {number} n
	 * @param {string[]} varValues
	 * @returns {CampaignNumber}
	 */
	const row = (n, varValues) => ({
		id: `0193a4c0-000${n}-7a00-8000-00000000000${n}`,
		number: `+1800555010${n}`,
		varValues,
		status: 'Pending',
		createdAt: `2025-01-06T12:0${n}:00.000`,
	});
	const collections = [row(1, ['Alice', '120.50']), row(2, ['Bob', '75']), row(3, ['Carol'])];
	return new Map([[FAKE_CAMPAIGNS.collections.id, collections]]);
}

module.exports = {
	CAMPAIGN_STATUSES,
	CAMPAIGN_TYPES,
	DIALER_MODES,
	FAKE_ACCOUNT_ID,
	FAKE_API_KEY,
	OTHER_ACCOUNT_ID,
	FAKE_PHONE_SYSTEMS,
	FAKE_EXTENSIONS,
	FAKE_TAGS,
	FAKE_CAMPAIGNS,
	ARCHIVE_COUNT,
	seedCampaigns,
	seedNumbers,
};
