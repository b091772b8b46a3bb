/**
 * SIP Caller's documented sample of each event type (its webhook documentation), as objects: what
 * the trigger emits for a sample requested from the editor (the Test URL opened in a browser) and
 * what the templates pin. A unit test keeps them equal to test/fixtures, the documentation's bytes.
 */

import { ALL_EVENTS, matchesAny, withDefaults, type DeliveryOptions } from './options';
import { EVENT_TYPES, type EventType } from './events';
import { asRecord } from './json';
import { uuidv7 } from './uuid';

/**
 * The documentation's five campaign samples are one campaign ("Campaign 1") at five moments: the
 * same envelope, customer and campaign but for what the event changed, and who changed it.
 */
function campaignSample(sample: {
	type: EventType;
	id: string;
	createdAt: string;
	campaign: Record<string, unknown>;
	/** The user's address; null when SIP Caller itself did it (no `origin`). */
	ipAddress?: string | null;
}): Record<string, unknown> {
	const { ipAddress = '98.97.134.180' } = sample;
	return {
		id: sample.id,
		object: 'event',
		apiVersion: 1,
		createdAt: sample.createdAt,
		type: sample.type,
		data: {
			customer: { id: '0192830c-58a0-7be2-8e3d-dc8997d0a631', name: 'SIP Caller (Demo account)' },
			campaign: {
				id: '0192831a-fbbe-735f-b385-a3252781817d',
				name: 'Campaign 1',
				phoneSystem: {
					id: '01928310-2d96-7a70-bdfc-4bcd24c22c95',
					name: 'My Phone System',
					extension: { id: '07bcd1de-1e5d-47b5-99bf-b846c7a12f09', name: 'SIP Caller Extension' },
				},
				dialer: { mode: 'Power' },
				status: 'Active',
				type: 'Static',
				startDate: '2024-10-12',
				endDate: '2024-10-13',
				timeZoneId: 'America/Argentina/Buenos_Aires',
				callflow: {
					forHuman: { id: '01928316-cfd7-75c7-bb6d-9128e205c53f', name: 'Survey' },
					forMachine: null,
				},
				varNames: ['Customer Name', 'Due Balance'],
				startedAt: null,
				endedAt: null,
				...sample.campaign,
			},
			origin:
				ipAddress === null
					? null
					: {
							user: {
								id: '0192830c-589d-7384-b157-f922afab9e55',
								name: 'John Doe',
								email: 'john.doe@example.com',
							},
							ipAddress,
						},
		},
	};
}

export const SAMPLE_EVENTS: Readonly<Record<EventType, Readonly<Record<string, unknown>>>> = {
	CallEnded: {
		id: '01928322-860c-77f9-9c3b-7f8abe3b6afd',
		object: 'event',
		apiVersion: 1,
		createdAt: '2024-10-12T23:48:50.824',
		type: 'CallEnded',
		data: {
			customer: {
				id: '0192830c-58a0-7be2-8e3d-dc8997d0a631',
				name: 'SIP Caller (Demo account)',
			},
			campaign: {
				id: '0192831a-fbbe-735f-b385-a3252781817d',
				name: 'Campaign 1',
				varNames: ['Customer Name', 'Due Balance'],
			},
			callDetails: {
				callId: '01928322-32a3-7000-bf0d-bf1af7eda4c5',
				number: '18035551004',
				varValues: ['Stefan Robertson', '$99.00 '],
				attempt: 1,
				phoneSystem: {
					id: '01928310-2d96-7a70-bdfc-4bcd24c22c95',
					name: 'My Phone System',
					extension: {
						id: '07bcd1de-1e5d-47b5-99bf-b846c7a12f09',
						name: 'SIP Caller Extension',
					},
				},
				timeZoneId: 'America/Argentina/Buenos_Aires',
				startedAt: '2024-10-12T23:48:29.479',
				ringResult: 'Answer',
				sipResponse: {
					code: 200,
					descrip: 'OK',
				},
				answeredAt: '2024-10-12T23:48:33.735',
				answerType: 'Human',
				callflow: {
					id: '01928316-cfd7-75c7-bb6d-9128e205c53f',
					name: 'Survey',
				},
				endedAt: '2024-10-12T23:48:50.819',
				endType: 'CallflowComplete',
				lastAction: {
					id: '535248e9-c9a2-4a15-8c1c-9d175f82ac21',
					type: 'TextPrompt',
				},
				duration: {
					setup: '00:00:04.256',
					established: '00:00:17.084',
					total: '00:00:21.34',
				},
				gatheredData: 'Question1=4|Question2=1',
				outcome: 'Success',
				retryAt: null,
			},
		},
	},
	CampaignActivated: campaignSample({
		type: 'CampaignActivated',
		id: '01928321-9129-7f25-8ad3-80c57b16d3ed',
		createdAt: '2024-10-12T23:47:48.133',
		campaign: { status: 'Active', startedAt: null, endedAt: null },
	}),
	CampaignPaused: campaignSample({
		type: 'CampaignPaused',
		id: '01928323-1fcd-721d-ad19-8ce4cfc1c135',
		createdAt: '2024-10-12T23:49:30.185',
		campaign: { status: 'Paused', startedAt: '2024-10-12T23:48:05.603', endedAt: null },
	}),
	CampaignResumed: campaignSample({
		type: 'CampaignResumed',
		id: '01928329-e0ae-767b-831c-eb534f0ca3ce',
		createdAt: '2024-10-12T23:56:52.78',
		campaign: { status: 'Active', startedAt: '2024-10-12T23:48:05.603', endedAt: null },
	}),
	CampaignCanceled: campaignSample({
		type: 'CampaignCanceled',
		id: '01928761-9826-7ca4-9283-eb6f7a338c91',
		createdAt: '2024-10-13T19:36:13.093',
		campaign: {
			id: '01928761-27c6-7355-9add-0c4f40154847',
			status: 'Canceled',
			startDate: '2024-10-13',
			startedAt: null,
			endedAt: '2024-10-13T19:36:13.093',
		},
		ipAddress: '98.97.134.223',
	}),
	CampaignFinished: campaignSample({
		type: 'CampaignFinished',
		id: '01928735-88af-7fc5-ae74-81ff77bf6e61',
		createdAt: '2024-10-13T18:48:05.526',
		campaign: {
			status: 'Finished',
			startedAt: '2024-10-12T23:48:05.603',
			endedAt: '2024-10-13T18:48:05.526',
		},
		// SIP Caller itself finished the campaign: nobody changed it.
		ipAddress: null,
	}),
};

/** SIP Caller's spelling of the values the trigger offers: a typed `noanswer` samples as `NoAnswer`. */
const KNOWN_VALUES = ['Answer', 'NoAnswer', 'Success'];
const canonical = (value: string) =>
	KNOWN_VALUES.find((known) => known.toLowerCase() === value.trim().toLowerCase()) ?? value.trim();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isEventType(type: string): type is EventType {
	return (EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The event type a sample should have for these Events: `requested` when it is documented (selected
 * or not: a type that is not selected is then ignored, as a real event of it would be, and the
 * editor says how to add it), else the first documented selected type (Call Ended for All Events),
 * else undefined (only types this package has no sample of are selected).
 */
export function sampleTypeFor(
	events: readonly string[],
	requested?: string,
): EventType | undefined {
	const all = events.includes(ALL_EVENTS);
	if (requested && isEventType(requested)) return requested;
	if (all) return 'CallEnded';
	return events.find(isEventType);
}

/**
 * A sample event of `type` that this trigger's filters let through: SIP Caller's documented sample
 * with a fresh id and createdAt (so the duplicate check never answers "duplicate" to a sample), its
 * campaign set to the first selected campaign, and for Call Ended the first selected ring result and
 * outcome (a call that was not answered has no answer time, answer type or talk time).
 */
export function sampleEvent(
	type: EventType,
	options: DeliveryOptions,
	now: number = Date.now(),
): Record<string, unknown> {
	const filters = withDefaults(options);
	const event = structuredClone(SAMPLE_EVENTS[type]) as Record<string, unknown>;
	event.id = uuidv7(now);
	event.createdAt = new Date(now).toISOString().replace('Z', '');
	const data = asRecord(event.data);
	const campaign = asRecord(data.campaign);
	const wanted = filters.campaigns[0];
	if (wanted !== undefined && !matchesAny([campaign.id, campaign.name], filters.campaigns)) {
		if (UUID.test(wanted.trim())) campaign.id = wanted.trim();
		else campaign.name = wanted.trim();
	}
	if (type === 'CallEnded') {
		const call = asRecord(data.callDetails);
		const ringResult = filters.ringResults[0] && canonical(filters.ringResults[0]);
		if (ringResult !== undefined && !matchesAny([call.ringResult], filters.ringResults)) {
			call.ringResult = ringResult;
			if (ringResult.toLowerCase() !== 'answer') {
				Object.assign(call, {
					answeredAt: null,
					answerType: null,
					callflow: null,
					lastAction: null,
					gatheredData: null,
					duration: { ...asRecord(call.duration), established: '00:00:00' },
				});
			}
		}
		const outcome = filters.outcomes[0] && canonical(filters.outcomes[0]);
		if (outcome !== undefined && !matchesAny([call.outcome], filters.outcomes))
			call.outcome = outcome;
	}
	return event;
}
