/**
 * One webhook delivery, decided: reject it, ignore it, or accept it and emit an item.
 *
 * The trigger node's `webhook()` gathers plain values from n8n and calls `decide`; every row of the
 * README's behaviour table is a unit test of this function. Order matters and is part of the
 * contract: the signature is checked on the raw bytes before the body is parsed at all.
 */
import { parseEvent, type GenericEvent, type SchemaIssue, type SipCallerEvent } from './events';
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
	/** The item to emit: `full` = the event exactly as SIP Caller sent it. */
	output?: OutputShape;
}

export const OUTPUT_SHAPES = ['full'] as const;
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
}

export type RejectReason = SignatureFailureReason | 'invalidJson' | 'notAnEvent';

export type Decision =
	| {
			action: 'reject';
			/** 401: not from SIP Caller (or too old/new); 400: signed but unreadable; 500: our credential is broken. */
			status: 400 | 401 | 500;
			reason: RejectReason;
			message: string;
	  }
	| {
			action: 'ignore';
			status: 200;
			reason: 'eventNotSelected';
			message: string;
			eventId: string | undefined;
			eventType: string | undefined;
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
		const status = verdict.reason === 'malformedSecret' ? 500 : 401;
		return { action: 'reject', status, reason: verdict.reason, message: verdict.message };
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

	const parsed = parseEvent(json);
	if (!parsed.ok) {
		return {
			action: 'reject',
			status: 400,
			reason: 'notAnEvent',
			message: 'body is not a SIP Caller event (expected a JSON object)',
		};
	}

	const { event } = parsed;
	const eventType = stringField(event.type);
	if (!isSelected(eventType, options.events)) {
		return {
			action: 'ignore',
			status: 200,
			reason: 'eventNotSelected',
			message: `ignored: event type ${eventType ?? '(none)'} is not selected on this trigger`,
			eventId: stringField(event.id),
			eventType,
		};
	}

	return {
		action: 'accept',
		status: 200,
		event,
		item: event as Record<string, unknown>,
		known: parsed.known,
		issues: parsed.issues,
		signedAt: verdict.timestamp,
		signedWithPreviousSecret: verdict.secretIndex > 0,
	};
}
