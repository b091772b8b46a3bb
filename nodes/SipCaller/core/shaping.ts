/**
 * Turning SIP Caller's wire formats into values a no-code user can map: seconds, ISO-8601 UTC,
 * survey answers as keys. Pure functions; they never throw on what SIP Caller sends (a value they
 * cannot read gives `null`, and the raw value stays in the event).
 */

// [-][d.]hh:mm:ss[.fraction], the .NET TimeSpan form SIP Caller uses (`00:00:21.34`).
const DURATION = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/**
 * `"00:00:21.34"` → `21.34` (seconds). Whole seconds are added as integers and the fraction is
 * appended as written, so the result is the decimal SIP Caller wrote, without float drift.
 * Returns null for null, undefined or anything that is not a duration.
 */
export function durationToSeconds(value: string | null | undefined): number | null {
	if (typeof value !== 'string') return null;
	const match = DURATION.exec(value.trim());
	if (!match) return null;
	const [, sign, days, hours, minutes, seconds, fraction] = match;
	if (Number(minutes) > 59 || Number(seconds) > 59) return null;
	const whole =
		Number(days ?? 0) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
	const total = Number(fraction ? `${whole}.${fraction}` : `${whole}`);
	return sign && total !== 0 ? -total : total;
}

const NAIVE_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * SIP Caller writes UTC date-times without a zone (`2024-10-12T23:56:52.78`). Returns the same
 * instant as ISO-8601 with `Z` and milliseconds (`2024-10-12T23:56:52.780Z`), so n8n, Sheets and
 * CRMs do not read it as local time. A value that already has a zone is converted to UTC.
 * Returns null for null, undefined or anything that is not such a date-time.
 */
export function toIsoUtc(value: string | null | undefined): string | null {
	if (typeof value !== 'string') return null;
	const match = NAIVE_DATE_TIME.exec(value.trim());
	if (!match) return null;
	const [, dateTime, fraction = '', zone = 'Z'] = match;
	// Date keeps milliseconds: pad or cut the fraction to 3 digits (cutting, not rounding, so
	// .9999 never rolls over into the next second).
	const millis = fraction ? `.${fraction.slice(1, 4).padEnd(3, '0')}` : '.000';
	const date = new Date(`${dateTime}${millis}${zone}`);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The answers a callflow gathered, `"Question1=4|Question2=1"` → `{ Question1: "4", Question2: "1" }`.
 * - null, undefined, empty or blank → `{}`;
 * - pairs are separated by `|`; empty pairs (`a=1||b=2`) are skipped;
 * - the key is what stands before the first `=` (trimmed), the value everything after it, as
 *   written (`url=a=b` → `{ url: "a=b" }`);
 * - a pair without `=` is a key with an empty value (`Skipped` → `{ Skipped: "" }`);
 * - a pair with an empty key (`=5`) is skipped;
 * - a repeated key keeps the last value (a callflow that asks a question again records the latest
 *   answer); the raw string stays in the event for anyone who needs every answer.
 */
export function parseGatheredData(value: string | null | undefined): Record<string, string> {
	const answers = new Map<string, string>();
	if (typeof value !== 'string') return {};
	for (const pair of value.split('|')) {
		if (pair.trim() === '') continue;
		const eq = pair.indexOf('=');
		const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
		if (key === '') continue;
		answers.set(key, eq < 0 ? '' : pair.slice(eq + 1));
	}
	// fromEntries defines own properties, so a key like `__proto__` cannot touch the prototype.
	return Object.fromEntries(answers);
}

/** A flat row: no nested objects or arrays, ready for a spreadsheet row or a CRM field mapping. */
export type SimplifiedRow = Record<string, string | number | boolean | null>;

/** Prefix of a campaign variable's key (`var_Customer Name`), so it cannot collide with ours. */
export const VARIABLE_PREFIX = 'var_';
/** Prefix of a gathered answer's key (`answer_Question1`), likewise. */
export const ANSWER_PREFIX = 'answer_';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Json)
		: {};
}

function scalar(value: unknown): string | number | boolean | null {
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
		return value;
	}
	return null;
}

/** A date-time in ISO UTC; a value that is not one is kept as written (never lost). */
function time(value: unknown): string | null {
	return toIsoUtc(value as string) ?? (typeof value === 'string' ? value : null);
}

function strings(value: unknown): string[] {
	return Array.isArray(value)
		? value.map((v) => (typeof v === 'string' ? v : String(v ?? '')))
		: [];
}

function envelopeColumns(event: Json): SimplifiedRow {
	const data = obj(event.data);
	const customer = obj(data.customer);
	return {
		eventId: scalar(event.id),
		eventType: scalar(event.type),
		eventTime: time(event.createdAt),
		customerId: scalar(customer.id),
		customerName: scalar(customer.name),
	};
}

function callEndedColumns(event: Json): SimplifiedRow {
	const data = obj(event.data);
	const campaign = obj(data.campaign);
	const call = obj(data.callDetails);
	const phoneSystem = obj(call.phoneSystem);
	const duration = obj(call.duration);
	const sip = obj(call.sipResponse);
	const row: SimplifiedRow = {
		...envelopeColumns(event),
		campaignId: scalar(campaign.id),
		campaignName: scalar(campaign.name),
		callId: scalar(call.callId),
		number: scalar(call.number),
		attempt: scalar(call.attempt),
		phoneSystemName: scalar(phoneSystem.name),
		extensionName: scalar(obj(phoneSystem.extension).name),
		timeZone: scalar(call.timeZoneId),
		ringResult: scalar(call.ringResult),
		sipCode: scalar(sip.code),
		sipDescription: scalar(sip.descrip),
		answerType: scalar(call.answerType),
		callflowName: scalar(obj(call.callflow).name),
		endType: scalar(call.endType),
		lastActionType: scalar(obj(call.lastAction).type),
		outcome: scalar(call.outcome),
		startedAt: time(call.startedAt),
		answeredAt: time(call.answeredAt),
		endedAt: time(call.endedAt),
		setupSeconds: durationToSeconds(duration.setup as string),
		establishedSeconds: durationToSeconds(duration.established as string),
		totalSeconds: durationToSeconds(duration.total as string),
		retryAt: time(call.retryAt),
		gatheredData: scalar(call.gatheredData),
	};
	// Campaign variables by position: varNames[i] names varValues[i].
	const names = strings(campaign.varNames);
	const values = Array.isArray(call.varValues) ? call.varValues : [];
	names.forEach((name, i) => {
		row[`${VARIABLE_PREFIX}${name}`] = scalar(values[i]);
	});
	for (const [key, answer] of Object.entries(parseGatheredData(call.gatheredData as string))) {
		row[`${ANSWER_PREFIX}${key}`] = answer;
	}
	return row;
}

function campaignColumns(event: Json): SimplifiedRow {
	const data = obj(event.data);
	const campaign = obj(data.campaign);
	const phoneSystem = obj(campaign.phoneSystem);
	const callflow = obj(campaign.callflow);
	const origin = obj(data.origin);
	const user = obj(origin.user);
	return {
		...envelopeColumns(event),
		campaignId: scalar(campaign.id),
		campaignName: scalar(campaign.name),
		campaignStatus: scalar(campaign.status),
		campaignType: scalar(campaign.type),
		dialerMode: scalar(obj(campaign.dialer).mode),
		startDate: scalar(campaign.startDate),
		endDate: scalar(campaign.endDate),
		timeZone: scalar(campaign.timeZoneId),
		campaignStartedAt: time(campaign.startedAt),
		campaignEndedAt: time(campaign.endedAt),
		phoneSystemName: scalar(phoneSystem.name),
		extensionName: scalar(obj(phoneSystem.extension).name),
		callflowForHuman: scalar(obj(callflow.forHuman).name),
		callflowForMachine: scalar(obj(callflow.forMachine).name),
		variableNames: strings(campaign.varNames).join(', '),
		changedByName: scalar(user.name),
		changedByEmail: scalar(user.email),
		changedById: scalar(user.id),
		changedFromIp: scalar(origin.ipAddress),
	};
}

/** Any other (future) event: its data flattened to `a_b_c` keys, arrays as JSON text. */
function genericColumns(event: Json): SimplifiedRow {
	const row: SimplifiedRow = { ...envelopeColumns(event) };
	const walk = (value: unknown, prefix: string) => {
		if (Array.isArray(value)) row[prefix] = JSON.stringify(value);
		else if (typeof value === 'object' && value !== null) {
			for (const [key, inner] of Object.entries(value))
				walk(inner, prefix ? `${prefix}_${key}` : key);
		} else if (!(prefix in row)) row[prefix] = scalar(value);
	};
	walk(event.data, '');
	return row;
}

const CAMPAIGN_TYPES = new Set([
	'CampaignActivated',
	'CampaignPaused',
	'CampaignResumed',
	'CampaignCanceled',
	'CampaignFinished',
]);

/**
 * The Simplified output: one flat row per event with stable keys (README, "Simplified output").
 * Times are ISO-8601 UTC with `Z`, durations are seconds, each campaign variable is a `var_<name>`
 * key and each gathered answer an `answer_<key>` key. Reads defensively: a missing or odd field is
 * `null`, never an exception.
 */
export function toSimplifiedRow(event: Record<string, unknown>): SimplifiedRow {
	if (event.type === 'CallEnded') return callEndedColumns(event);
	if (typeof event.type === 'string' && CAMPAIGN_TYPES.has(event.type))
		return campaignColumns(event);
	return genericColumns(event);
}
