/**
 * SIP Caller webhook events: zod schemas are the source of truth, TypeScript types are inferred.
 *
 * Shapes follow the samples in SIP Caller's webhook documentation ("Webhooks data reference"),
 * kept byte for byte in test/fixtures/. Tolerant reader: every object keeps keys we do not know
 * (`passthrough`), values that depend on how a call went (answered or not, callflow or not) are
 * nullable, and an event type we do not know is still an event. Schema issues are reported to the
 * caller, never thrown: a correctly signed event is never dropped because SIP Caller changed it.
 */
import { z } from 'zod';

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

export const campaignSchema = z
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

export const customerSchema = namedRef;

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
	.object({ customer: customerSchema, campaign: campaignSchema, origin: originSchema.nullable() })
	.passthrough();

export const campaignActivatedSchema = envelope('CampaignActivated', campaignEventData);
export const campaignPausedSchema = envelope('CampaignPaused', campaignEventData);
export const campaignResumedSchema = envelope('CampaignResumed', campaignEventData);
export const campaignCanceledSchema = envelope('CampaignCanceled', campaignEventData);
export const campaignFinishedSchema = envelope('CampaignFinished', campaignEventData);

export const callDetailsSchema = z
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

export const callEndedSchema = envelope(
	'CallEnded',
	z
		.object({
			customer: customerSchema,
			campaign: z
				.object({ id, name: z.string(), varNames: z.array(z.string()).nullable() })
				.passthrough(),
			callDetails: callDetailsSchema,
		})
		.passthrough(),
);

/** The documented events' schemas, listed once: the union and the lookup by type come from it. */
const KNOWN_EVENT_SCHEMAS = [
	campaignActivatedSchema,
	campaignPausedSchema,
	campaignResumedSchema,
	campaignCanceledSchema,
	campaignFinishedSchema,
	callEndedSchema,
] as const;

/** The documented events, discriminated on `type`. */
export const sipCallerEventSchema = z.discriminatedUnion('type', [...KNOWN_EVENT_SCHEMAS]);

/** What every event has, whatever its type: used for events SIP Caller adds after this package. */
export const genericEventSchema = z
	.object({
		id,
		object: z.string(),
		apiVersion: z.number(),
		createdAt: timestamp,
		type: z.string(),
		data: z.record(z.unknown()),
	})
	.passthrough();

export type CampaignActivatedEvent = z.infer<typeof campaignActivatedSchema>;
export type CampaignPausedEvent = z.infer<typeof campaignPausedSchema>;
export type CampaignResumedEvent = z.infer<typeof campaignResumedSchema>;
export type CampaignCanceledEvent = z.infer<typeof campaignCanceledSchema>;
export type CampaignFinishedEvent = z.infer<typeof campaignFinishedSchema>;
export type CampaignEvent =
	| CampaignActivatedEvent
	| CampaignPausedEvent
	| CampaignResumedEvent
	| CampaignCanceledEvent
	| CampaignFinishedEvent;
export type CallEndedEvent = z.infer<typeof callEndedSchema>;
export type SipCallerEvent = z.infer<typeof sipCallerEventSchema>;
export type GenericEvent = z.infer<typeof genericEventSchema>;
export type Campaign = z.infer<typeof campaignSchema>;
export type CallDetails = z.infer<typeof callDetailsSchema>;

const SCHEMAS = new Map<string, z.ZodTypeAny>(
	KNOWN_EVENT_SCHEMAS.map((schema) => [schema.shape.type.value, schema]),
);

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
		const result = (SCHEMAS.get(type) as z.ZodTypeAny).safeParse(json);
		const issues = result.success ? [] : toIssues(result.error);
		return { ok: true, known: true, event: json as SipCallerEvent, issues };
	}
	const result = genericEventSchema.safeParse(json);
	const issues = result.success ? [] : toIssues(result.error);
	return { ok: true, known: false, event: json as GenericEvent, issues };
}

/** True for the five campaign events (they share one data shape). */
export function isCampaignEvent(event: SipCallerEvent): event is CampaignEvent {
	return event.type !== 'CallEnded';
}
