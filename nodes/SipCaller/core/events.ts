/**
 * SIP Caller webhook events: zod schemas are the source of truth for what is checked at run time.
 * The TypeScript types are declared below and each exported schema is typed by its declared
 * interface, so the compiler checks that they agree (a schema whose output is not assignable to its
 * interface does not compile), while the published declarations stay small: letting TypeScript
 * infer them wrote out zod's expanded types, 2.3 MB of `.d.ts`.
 *
 * Shapes follow the samples in SIP Caller's webhook documentation ("Webhooks data reference"),
 * kept byte for byte in test/fixtures/. Tolerant reader: every object keeps keys we do not know
 * (`passthrough`), values that depend on how a call went (answered or not, callflow or not) are
 * nullable, and an event type we do not know is still an event. Schema issues are reported to the
 * caller, never thrown: a correctly signed event is never dropped because SIP Caller changed it.
 */
import { z } from 'zod';
import { compile, type Conforms } from './conforms';

/** Keys SIP Caller adds later are kept (tolerant reader): every object allows more keys. */
interface Open {
	[key: string]: unknown;
}

/** `{ id, name }`: how SIP Caller refers to a customer, campaign, callflow, phone system, ... */
export interface NamedRef extends Open {
	id: string;
	name: string | null;
}

/** The customer phone system (PBX) and the extension SIP Caller dials through. */
export interface PhoneSystem extends NamedRef {
	extension: NamedRef | null;
}

/** Who changed the campaign, from which IP; null when SIP Caller itself did it. */
export interface Origin extends Open {
	user: (Open & { id: string; name: string | null; email: string | null }) | null;
	ipAddress: string | null;
}

export interface Campaign extends Open {
	id: string;
	name: string;
	phoneSystem: PhoneSystem | null;
	dialer: (Open & { mode: string }) | null;
	status: string;
	type: string;
	/** Calendar dates in the campaign's time zone (`2024-10-12`). */
	startDate: string | null;
	endDate: string | null;
	timeZoneId: string | null;
	callflow: (Open & { forHuman: NamedRef | null; forMachine: NamedRef | null }) | null;
	varNames: string[] | null;
	/** UTC without a zone, as SIP Caller writes it (`2024-10-12T23:48:05.603`). */
	startedAt: string | null;
	endedAt: string | null;
}

export interface CallDetails extends Open {
	callId: string;
	number: string;
	/** The values of the campaign's `varNames`, by position. */
	varValues: Array<string | null> | null;
	attempt: number;
	phoneSystem: PhoneSystem | null;
	timeZoneId: string | null;
	startedAt: string | null;
	ringResult: string | null;
	sipResponse: (Open & { code: number | null; descrip: string | null }) | null;
	answeredAt: string | null;
	answerType: string | null;
	callflow: NamedRef | null;
	endedAt: string | null;
	endType: string | null;
	lastAction: (Open & { id: string; type: string | null }) | null;
	/** Durations like `00:00:21.34`. */
	duration:
		(Open & { setup: string | null; established: string | null; total: string | null }) | null;
	/** Survey answers, `Question1=4|Question2=1`. */
	gatheredData: string | null;
	outcome: string | null;
	retryAt: string | null;
}

/** What every event has: `createdAt` is UTC without a zone, `id` a UUIDv7. */
export interface EventEnvelope<
	T extends string = string,
	D = Record<string, unknown>,
> extends Open {
	id: string;
	object: string;
	apiVersion: number;
	createdAt: string;
	type: T;
	data: D;
}

export interface CampaignEventData extends Open {
	customer: NamedRef;
	campaign: Campaign;
	origin: Origin | null;
}

export interface CallEndedData extends Open {
	customer: NamedRef;
	campaign: Open & { id: string; name: string; varNames: string[] | null };
	callDetails: CallDetails;
}

export type CampaignActivatedEvent = EventEnvelope<'CampaignActivated', CampaignEventData>;
export type CampaignPausedEvent = EventEnvelope<'CampaignPaused', CampaignEventData>;
export type CampaignResumedEvent = EventEnvelope<'CampaignResumed', CampaignEventData>;
export type CampaignCanceledEvent = EventEnvelope<'CampaignCanceled', CampaignEventData>;
export type CampaignFinishedEvent = EventEnvelope<'CampaignFinished', CampaignEventData>;
export type CampaignEvent =
	| CampaignActivatedEvent
	| CampaignPausedEvent
	| CampaignResumedEvent
	| CampaignCanceledEvent
	| CampaignFinishedEvent;
export type CallEndedEvent = EventEnvelope<'CallEnded', CallEndedData>;
/** The documented events, discriminated on `type`. */
export type SipCallerEvent = CampaignEvent | CallEndedEvent;
/** Any event, including types SIP Caller adds after this package. */
export type GenericEvent = EventEnvelope;

/** Event types SIP Caller documents, spelled as on the wire. */
export const CAMPAIGN_EVENT_TYPES = [
	'CampaignActivated',
	'CampaignPaused',
	'CampaignResumed',
	'CampaignCanceled',
	'CampaignFinished',
] as const;
export const EVENT_TYPES = [...CAMPAIGN_EVENT_TYPES, 'CallEnded'] as const;

export type CampaignEventType = (typeof CAMPAIGN_EVENT_TYPES)[number];
export type EventType = (typeof EVENT_TYPES)[number];

export function isKnownEventType(type: unknown): type is EventType {
	return typeof type === 'string' && (EVENT_TYPES as readonly string[]).includes(type);
}

/** UTC date-time as SIP Caller writes it: no `Z`, 2 or 3 (or more) fraction digits. */
const timestamp = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/, {
		message: 'expected a date-time like 2024-10-12T23:48:05.603',
	});
/** A calendar date in the campaign's time zone (`startDate`, `endDate`). */
const date = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date like 2024-10-12' });
/** A duration like `00:00:21.34` (hours:minutes:seconds, optional days and fraction). */
const duration = z.string().regex(/^-?(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d{1,7})?$/, {
	message: 'expected a duration like 00:00:21.34',
});
const id = z.string().min(1);

/** `{ id, name }`: how SIP Caller refers to a customer, campaign, callflow, phone system, ... */
const namedRef = z.object({ id, name: z.string().nullable() }).passthrough();

const phoneSystemSchema = namedRef
	.extend({ extension: namedRef.nullable() })
	.passthrough()
	.describe('The customer phone system (PBX) and the extension SIP Caller dials through');

const originSchema = z
	.object({
		user: z
			.object({ id, name: z.string().nullable(), email: z.string().nullable() })
			.passthrough()
			.nullable(),
		ipAddress: z.string().nullable(),
	})
	.passthrough()
	.describe('Who changed the campaign, from which IP; null when SIP Caller itself did it');

const campaignSchemaObject = z
	.object({
		id,
		name: z.string(),
		phoneSystem: phoneSystemSchema.nullable(),
		dialer: z.object({ mode: z.string() }).passthrough().nullable(),
		status: z.string(),
		type: z.string(),
		startDate: date.nullable(),
		endDate: date.nullable(),
		timeZoneId: z.string().nullable(),
		callflow: z
			.object({ forHuman: namedRef.nullable(), forMachine: namedRef.nullable() })
			.passthrough()
			.nullable(),
		varNames: z.array(z.string()).nullable(),
		startedAt: timestamp.nullable(),
		endedAt: timestamp.nullable(),
	})
	.passthrough();

function envelope<T extends string, D extends z.ZodTypeAny>(type: T, data: D) {
	return z
		.object({
			id,
			object: z.string(),
			apiVersion: z.number(),
			createdAt: timestamp,
			type: z.literal(type),
			data,
		})
		.passthrough();
}

const campaignEventData = z
	.object({ customer: namedRef, campaign: campaignSchemaObject, origin: originSchema.nullable() })
	.passthrough();

const campaignActivatedSchemaObject = envelope('CampaignActivated', campaignEventData);
const campaignPausedSchemaObject = envelope('CampaignPaused', campaignEventData);
const campaignResumedSchemaObject = envelope('CampaignResumed', campaignEventData);
const campaignCanceledSchemaObject = envelope('CampaignCanceled', campaignEventData);
const campaignFinishedSchemaObject = envelope('CampaignFinished', campaignEventData);

const callDetailsSchemaObject = z
	.object({
		callId: id,
		number: z.string(),
		varValues: z.array(z.string().nullable()).nullable(),
		attempt: z.number().int(),
		phoneSystem: phoneSystemSchema.nullable(),
		timeZoneId: z.string().nullable(),
		startedAt: timestamp.nullable(),
		ringResult: z.string().nullable(),
		sipResponse: z
			.object({ code: z.number().int().nullable(), descrip: z.string().nullable() })
			.passthrough()
			.nullable(),
		answeredAt: timestamp.nullable(),
		answerType: z.string().nullable(),
		callflow: namedRef.nullable(),
		endedAt: timestamp.nullable(),
		endType: z.string().nullable(),
		lastAction: z.object({ id, type: z.string().nullable() }).passthrough().nullable(),
		duration: z
			.object({
				setup: duration.nullable(),
				established: duration.nullable(),
				total: duration.nullable(),
			})
			.passthrough()
			.nullable(),
		gatheredData: z.string().nullable(),
		outcome: z.string().nullable(),
		retryAt: timestamp.nullable(),
	})
	.passthrough();

const callEndedSchemaObject = envelope(
	'CallEnded',
	z
		.object({
			customer: namedRef,
			campaign: z
				.object({ id, name: z.string(), varNames: z.array(z.string()).nullable() })
				.passthrough(),
			callDetails: callDetailsSchemaObject,
		})
		.passthrough(),
);

/** The documented events' schemas, listed once: the union and the lookup by type come from it. */
const KNOWN_EVENT_SCHEMAS = [
	campaignActivatedSchemaObject,
	campaignPausedSchemaObject,
	campaignResumedSchemaObject,
	campaignCanceledSchemaObject,
	campaignFinishedSchemaObject,
	callEndedSchemaObject,
] as const;

// The exported schemas, each typed by its interface: this is where the compiler checks that the
// schemas and the declared types agree.
export const campaignSchema: z.ZodType<Campaign> = campaignSchemaObject;
export const customerSchema: z.ZodType<NamedRef> = namedRef;
export const callDetailsSchema: z.ZodType<CallDetails> = callDetailsSchemaObject;
export const campaignActivatedSchema: z.ZodType<CampaignActivatedEvent> =
	campaignActivatedSchemaObject;
export const campaignPausedSchema: z.ZodType<CampaignPausedEvent> = campaignPausedSchemaObject;
export const campaignResumedSchema: z.ZodType<CampaignResumedEvent> = campaignResumedSchemaObject;
export const campaignCanceledSchema: z.ZodType<CampaignCanceledEvent> =
	campaignCanceledSchemaObject;
export const campaignFinishedSchema: z.ZodType<CampaignFinishedEvent> =
	campaignFinishedSchemaObject;
export const callEndedSchema: z.ZodType<CallEndedEvent> = callEndedSchemaObject;

/** The documented events, discriminated on `type`. */
export const sipCallerEventSchema: z.ZodType<SipCallerEvent> = z.discriminatedUnion('type', [
	...KNOWN_EVENT_SCHEMAS,
]);

/** What every event has, whatever its type: used for events SIP Caller adds after this package. */
export const genericEventSchema: z.ZodType<GenericEvent> = z
	.object({
		id,
		object: z.string(),
		apiVersion: z.number(),
		createdAt: timestamp,
		type: z.string(),
		data: z.record(z.unknown()),
	})
	.passthrough();

const SCHEMAS = new Map<string, z.ZodTypeAny>(
	KNOWN_EVENT_SCHEMAS.map((schema) => [schema.shape.type.value, schema]),
);

/** Each schema with its compiled predicate (conforms.ts; undefined: zod checks every event). */
interface Checker {
	schema: z.ZodTypeAny;
	conforms: Conforms | undefined;
}
const checker = (schema: z.ZodTypeAny): Checker => ({ schema, conforms: compile(schema) });
const CHECKERS = new Map<string, Checker>(
	[...SCHEMAS].map(([type, schema]) => [type, checker(schema)]),
);
const GENERIC_CHECKER = checker(genericEventSchema);

/** Where `json` differs from the schema: none when the compiled predicate accepts it, else zod's. */
function check({ schema, conforms }: Checker, json: unknown): SchemaIssue[] {
	if (conforms?.(json)) return [];
	const result = schema.safeParse(json);
	return result.success ? [] : toIssues(result.error);
}

/** One way the event differs from the documented shape: where, and what was expected. */
export interface SchemaIssue {
	path: string;
	message: string;
}

/**
 * The outcome of `parseEvent`. `event` is always the value as SIP Caller sent it (never a copy
 * rebuilt by zod), typed by what its `type` says; `issues` lists where it differs from the schema.
 */
export type ParsedEvent =
	| { ok: true; known: true; event: SipCallerEvent; issues: SchemaIssue[] }
	| { ok: true; known: false; event: GenericEvent; issues: SchemaIssue[] }
	| { ok: false; issues: SchemaIssue[] };

function toIssues(error: z.ZodError): SchemaIssue[] {
	return error.issues.map((issue) => ({
		path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
		message: issue.message,
	}));
}

/**
 * Types a JSON value as a SIP Caller event. Any JSON object is an event (`ok: true`): known types
 * are checked against their schema, other types against the envelope only. Only a value that is
 * not a JSON object (array, string, number, null) is `ok: false`. Never throws.
 */
export function parseEvent(json: unknown): ParsedEvent {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		return { ok: false, issues: [{ path: '(root)', message: 'expected a JSON object' }] };
	}
	const type = (json as { type?: unknown }).type;
	if (isKnownEventType(type)) {
		const issues = check(CHECKERS.get(type) as Checker, json);
		return { ok: true, known: true, event: json as SipCallerEvent, issues };
	}
	const issues = check(GENERIC_CHECKER, json);
	return { ok: true, known: false, event: json as GenericEvent, issues };
}

/** True for the five campaign events (they share one data shape). */
export function isCampaignEvent(event: SipCallerEvent): event is CampaignEvent {
	return event.type !== 'CallEnded';
}
