/**
 * One webhook delivery, decided: reject it, ignore it, or accept it and emit an item.
 *
 * The trigger node's `webhook()` gathers plain values from n8n and calls `decide`; every row of the
 * Responses table of docs/delivery.md is a unit test of this function. Order matters and is part of the
 * contract: the signature is checked on the raw bytes before the body is parsed at all.
 */
import type { EarlierDelivery } from './dedup';
import { peekEventHead } from './peek';
import { parseEvent, type GenericEvent, type SchemaIssue, type SipCallerEvent } from './events';
import { asRecord } from './json';
import { toSimplifiedRow } from './simplified-row';
import {
	DEFAULT_MAX_AGE_SECONDS,
	DEFAULT_MAX_FUTURE_SECONDS,
	verifySignature,
	type SignatureFailureReason,
} from './signature';

/** `*` in the trigger's `events` parameter: every event type, including ones SIP Caller adds later. */
export const ALL_EVENTS = '*';

export interface DeliveryOptions {
	/** Event types to emit (`CallEnded`, ...) or `*`. */
	events: readonly string[];
	/** See `VerifyOptions.maxAgeSeconds`; 0 = no limit. */
	maxAgeSeconds?: number;
	/** See `VerifyOptions.maxFutureSeconds`. */
	maxFutureSeconds?: number;
	/** The item to emit: `full` = the event as SIP Caller sent it; `simplified` = one flat row. */
	output?: OutputShape;
	/** Only events of these campaigns (names or ids, any case); empty = every campaign. */
	campaigns?: readonly string[];
	/** CallEnded only: only these ring results (any case); empty = every ring result. */
	ringResults?: readonly string[];
	/** CallEnded only: only these outcomes (any case); empty = every outcome. */
	outcomes?: readonly string[];
	/** Answer a repeated event id "duplicate" instead of starting a second execution. Default on. */
	deduplicate?: boolean;
}

export const OUTPUT_SHAPES = ['full', 'simplified'] as const;
export type OutputShape = (typeof OUTPUT_SHAPES)[number];

export interface Delivery {
	/** The request body exactly as received. */
	rawBody: Buffer | string;
	/** The `Sip-Caller-Signature` header (as Node gives it: string, array or undefined). */
	signatureHeader: string | string[] | undefined | null;
	/** Current signing secret first, then the previous one (empty entries are skipped). */
	secrets: ReadonlyArray<string | undefined | null>;
	options: DeliveryOptions;
	/** The current time (Date or epoch milliseconds); defaults to the clock. */
	now?: Date | number;
	/**
	 * What became of an earlier delivery of this event id (asked only with `deduplicate` on):
	 * `'done'` (or `true`) → answered "duplicate"; `'running'` → 409, SIP Caller retries later;
	 * `'none'` (or `false`) → accepted. A `DeliveryLedger` answers it.
	 */
	alreadySeen?: (eventId: string) => boolean | EarlierDelivery;
}

export type RejectReason = SignatureFailureReason | 'invalidJson' | 'notAnEvent' | 'inProgress';

/** Why a correctly signed event starts no execution (answered 200: nothing for SIP Caller to retry). */
export type IgnoreReason =
	| 'eventNotSelected'
	| 'campaignNotSelected'
	| 'ringResultNotSelected'
	| 'outcomeNotSelected'
	| 'duplicate';

export type Decision =
	| {
			action: 'reject';
			/**
			 * 401: not from SIP Caller (or too old/new); 400: signed but unreadable; 409: an earlier
			 * delivery of this event is still running (retry later); 500: our credential is broken.
			 */
			status: 400 | 401 | 409 | 500;
			reason: RejectReason;
			message: string;
			/** `tooOld` and `tooNew`: when SIP Caller signed the event (Unix seconds). */
			signedAt?: number;
	  }
	| {
			action: 'ignore';
			status: 200;
			reason: IgnoreReason;
			message: string;
			eventId: string | undefined;
			eventType: string | undefined;
			/** What the filter looked at and did not find selected (campaign name, ring result, outcome). */
			value?: string;
	  }
	| {
			action: 'accept';
			status: 200;
			/** The event exactly as sent, typed by its `type`. */
			event: SipCallerEvent | GenericEvent;
			/** What the workflow receives, shaped by the `output` option. */
			item: Record<string, unknown>;
			/** False for an event type this package does not know yet (passed through as is). */
			known: boolean;
			/** Where the event differs from the documented schema: log them, never drop the event. */
			issues: SchemaIssue[];
			/** `t` of the signature: when SIP Caller generated the event (Unix seconds). */
			signedAt: number;
			/** True when the previous signing secret matched (a rotation is in progress). */
			signedWithPreviousSecret: boolean;
	  };

/** Options as the trigger stores them, with the core's defaults filled in. */
export function withDefaults(options: DeliveryOptions): Required<DeliveryOptions> {
	return {
		events: options.events,
		maxAgeSeconds: options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS,
		maxFutureSeconds: options.maxFutureSeconds ?? DEFAULT_MAX_FUTURE_SECONDS,
		output: options.output ?? 'full',
		campaigns: options.campaigns ?? [],
		ringResults: options.ringResults ?? [],
		outcomes: options.outcomes ?? [],
		deduplicate: options.deduplicate ?? true,
	};
}

function isSelected(type: unknown, events: readonly string[]): boolean {
	return events.includes(ALL_EVENTS) || (typeof type === 'string' && events.includes(type));
}

function stringField(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

export function decide(delivery: Delivery): Decision {
	const options = withDefaults(delivery.options);
	const verdict = verifySignature(delivery.rawBody, delivery.signatureHeader, delivery.secrets, {
		maxAgeSeconds: options.maxAgeSeconds,
		maxFutureSeconds: options.maxFutureSeconds,
		now: delivery.now,
	});
	if (!verdict.ok) {
		// Our side is broken (a bad secret in the credential, a body that is not bytes): 500, not 401.
		const status =
			verdict.reason === 'malformedSecret' || verdict.reason === 'notRawBody' ? 500 : 401;
		const rejection: Decision = {
			action: 'reject',
			status,
			reason: verdict.reason,
			message: verdict.message,
		};
		if (verdict.timestamp !== undefined) {
			// Too old or too new: the signature matched, only the time is out of range.
			rejection.signedAt = verdict.timestamp;
		}
		return rejection;
	}

	// An event type not selected is answered from the body's first bytes (SIP Caller writes `type`
	// before `data`): parsing the whole body was most of the cost. See peek.ts for what it reads.
	if (!options.events.includes(ALL_EVENTS) && typeof delivery.rawBody !== 'string') {
		const head = peekEventHead(delivery.rawBody);
		if (head?.type !== undefined && !options.events.includes(head.type)) {
			return notSelected(head.type, head.id);
		}
	}

	let json: unknown;
	try {
		const text =
			typeof delivery.rawBody === 'string' ? delivery.rawBody : delivery.rawBody.toString('utf8');
		json = JSON.parse(text);
	} catch {
		return {
			action: 'reject',
			status: 400,
			reason: 'invalidJson',
			message: 'body is not valid JSON',
		};
	}

	// Any JSON object is an event (parseEvent's rule); the filters and the duplicate check read
	// only the event as sent, so every answer but "accept" is given before the schema check, which
	// is most of the cost of an accepted delivery.
	if (!isJsonObject(json)) return notAnEvent();
	const event = json as GenericEvent;
	const eventType = stringField(event.type);
	const ignore = (reason: IgnoreReason, message: string, value?: unknown): Decision => ({
		action: 'ignore',
		status: 200,
		reason,
		message: reason === 'duplicate' ? message : `ignored: ${message}`,
		eventId: stringField(event.id),
		eventType,
		...(typeof value === 'string' ? { value } : {}),
	});
	if (!isSelected(eventType, options.events)) return notSelected(eventType, stringField(event.id));
	const data = asRecord(event.data);
	if (options.campaigns.length > 0) {
		const campaign = asRecord(data.campaign);
		if (!matchesAny([campaign.id, campaign.name], options.campaigns)) {
			return ignore(
				'campaignNotSelected',
				'the event is about a campaign not selected on this trigger',
				stringField(campaign.name) ?? stringField(campaign.id),
			);
		}
	}
	if (eventType === 'CallEnded') {
		const call = asRecord(data.callDetails);
		if (options.ringResults.length > 0 && !matchesAny([call.ringResult], options.ringResults)) {
			return ignore(
				'ringResultNotSelected',
				`ring result ${String(call.ringResult)} is not selected`,
				call.ringResult,
			);
		}
		if (options.outcomes.length > 0 && !matchesAny([call.outcome], options.outcomes)) {
			return ignore(
				'outcomeNotSelected',
				`outcome ${String(call.outcome)} is not selected`,
				call.outcome,
			);
		}
	}

	const eventId = stringField(event.id);
	const earlier =
		options.deduplicate && eventId !== undefined ? delivery.alreadySeen?.(eventId) : undefined;
	if (earlier === true || earlier === 'done') {
		return ignore('duplicate', `duplicate: event ${eventId} was already received`);
	}
	if (earlier === 'running') {
		// Not 2xx: SIP Caller retries, and by then the first run has answered one way or the other.
		return {
			action: 'reject',
			status: 409,
			reason: 'inProgress',
			message: `event ${eventId} is still being processed by an earlier delivery; retry later`,
		};
	}

	const parsed = parseEvent(json);
	if (!parsed.ok) return notAnEvent();
	const raw = event as Record<string, unknown>;
	return {
		action: 'accept',
		status: 200,
		event: parsed.event,
		item: options.output === 'simplified' ? toSimplifiedRow(raw) : raw,
		known: parsed.known,
		issues: parsed.issues,
		signedAt: verdict.timestamp,
		signedWithPreviousSecret: verdict.secretIndex > 0,
	};
}

function isJsonObject(json: unknown): boolean {
	return typeof json === 'object' && json !== null && !Array.isArray(json);
}

function notSelected(eventType: string | undefined, eventId: string | undefined): Decision {
	return {
		action: 'ignore',
		status: 200,
		reason: 'eventNotSelected',
		message: `ignored: event type ${eventType ?? '(none)'} is not selected on this trigger`,
		eventId,
		eventType,
	};
}

function notAnEvent(): Decision {
	return {
		action: 'reject',
		status: 400,
		reason: 'notAnEvent',
		message: 'body is not a SIP Caller event (expected a JSON object)',
	};
}

/** Case-insensitive, trimmed: users type `noanswer` or `Campaign 1 `. */
export function matchesAny(values: unknown[], wanted: readonly string[]): boolean {
	const normalized = new Set(wanted.map((w) => w.trim().toLowerCase()));
	return values.some((v) => typeof v === 'string' && normalized.has(v.trim().toLowerCase()));
}
