/**
 * Seed data of the fake SIP Caller REST API (see server.ts). Campaigns are shaped exactly like the
 * `campaign` object of SIP Caller's webhook events (test/fixtures/CampaignActivated.json), plus
 * `tagIds`, so what the API returns and what the trigger receives can be compared field by field.
 */

export interface NamedRef {
	id: string;
	name: string;
}

export type CampaignStatus = 'Draft' | 'Active' | 'Paused' | 'Canceled' | 'Finished';
export type CampaignType = 'Static' | 'Dynamic';
export type DialerMode = 'Power' | 'Predictive';

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
	'Draft',
	'Active',
	'Paused',
	'Canceled',
	'Finished',
];
export const CAMPAIGN_TYPES: readonly CampaignType[] = ['Static', 'Dynamic'];
export const DIALER_MODES: readonly DialerMode[] = ['Power', 'Predictive'];

export interface Campaign {
	id: string;
	name: string;
	phoneSystem: (NamedRef & { extension: NamedRef | null }) | null;
	dialer: { mode: DialerMode } | null;
	status: CampaignStatus;
	type: CampaignType;
	/** "YYYY-MM-DD" */
	startDate: string | null;
	endDate: string | null;
	timeZoneId: string | null;
	callflow: { forHuman: NamedRef | null; forMachine: NamedRef | null } | null;
	/** Names of the campaign variables; a number's varValues[i] is the value of varNames[i]. */
	varNames: string[];
	/** UTC without zone, like "2024-10-12T23:48:50.824" */
	startedAt: string | null;
	endedAt: string | null;
	tagIds: string[];
}

export interface CampaignNumber {
	id: string;
	number: string;
	varValues: string[];
	status: string;
	createdAt: string;
}

/** The demo customer of the fixtures: the account the fake API key belongs to. */
export const FAKE_ACCOUNT_ID = '0192830c-58a0-7be2-8e3d-dc8997d0a631';
export const FAKE_API_KEY = 'sc_test_6f1d2a9c4b7e8f3015a2c9d8e7b6a5f4';
/** An account that exists, but not for FAKE_API_KEY. */
export const OTHER_ACCOUNT_ID = '0192830c-aaaa-7bbb-8ccc-dddddddddddd';

export const FAKE_PHONE_SYSTEMS = {
	main: { id: '01928310-2d96-7a70-bdfc-4bcd24c22c95', name: 'My Phone System' },
	backup: { id: '01928310-9e41-7c3a-a1f0-5b6c7d8e9f01', name: 'Backup PBX' },
} as const;

export const FAKE_EXTENSIONS = {
	main: { id: '07bcd1de-1e5d-47b5-99bf-b846c7a12f09', name: 'SIP Caller Extension' },
	backup: { id: '01928311-4b2c-7d3e-9f40-a1b2c3d4e5f6', name: 'Backup Extension' },
} as const;

export const FAKE_TAGS = {
	sales: { id: '01928312-1111-7aaa-8bbb-000000000001', name: 'Sales' },
	collections: { id: '01928312-2222-7aaa-8bbb-000000000002', name: 'Collections' },
	archive: { id: '01928312-3333-7aaa-8bbb-000000000003', name: 'Archive' },
} as const;

export const FAKE_CAMPAIGNS = {
	campaign1: { id: '0192831a-fbbe-735f-b385-a3252781817d', name: 'Campaign 1' },
	collections: { id: '0193a4b2-5c10-7e21-9a3b-4c5d6e7f8a90', name: 'Collections (dynamic)' },
	reminders: { id: '0193a4b2-6d21-7f32-8b4c-5d6e7f8a9b01', name: 'Reminders (draft)' },
	survey: { id: '0193a4b2-7e32-7043-ac5d-6e7f8a9b0c12', name: 'Survey no variables' },
	predictive: { id: '0193a4b2-8f43-7154-bd6e-7f8a9b0c1d23', name: 'Predictive outreach' },
} as const;

export const ARCHIVE_COUNT = 250;

const SURVEY = { id: '01928316-cfd7-75c7-bb6d-9128e205c53f', name: 'Survey' };

function campaign(
	ref: NamedRef,
	fields: Partial<Campaign> & Pick<Campaign, 'status' | 'type' | 'startDate'>,
): Campaign {
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

/** "Archive 001".."Archive 250": Static, Finished, start dates spread over 2024. */
function archive(n: number): Campaign {
	const day = (offset: number) =>
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

/** A fresh copy of the seed campaigns (255: 5 named, then the archive). */
export function seedCampaigns(): Campaign[] {
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

/** A fresh copy of the seed numbers, by campaign id: three already in "Collections (dynamic)". */
export function seedNumbers(): Map<string, CampaignNumber[]> {
	const row = (n: number, varValues: string[]): CampaignNumber => ({
		id: `0193a4c0-000${n}-7a00-8000-00000000000${n}`,
		number: `+1800555010${n}`,
		varValues,
		status: 'Pending',
		createdAt: `2025-01-06T12:0${n}:00.000`,
	});
	const collections = [row(1, ['Alice', '120.50']), row(2, ['Bob', '75']), row(3, ['Carol'])];
	return new Map([[FAKE_CAMPAIGNS.collections.id, collections]]);
}
