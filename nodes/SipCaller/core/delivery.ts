/**
 * One webhook delivery, decided: reject it, ignore it, or accept it and emit an item.
 *
 * The core of the trigger's decision, and the library's: the trigger's `webhook()` checks the
 * header's shape and reads the credential first (refusing what cannot reach here: an unreadable
 * body or credential, an unsigned request), then calls `decide` with plain values. Every other row
 * of the Responses table of docs/delivery.md is a unit test of this function. Order matters and is
 * part of the contract: the signature is checked on the raw bytes before the body is parsed at all
 * (here the secret is checked before the header: a library user's bad secret is said first).
 */
import type { EarlierDelivery } from './dedup';
import { peekEventHead } from './peek';
import { parseEvent, type GenericEvent, type SchemaIssue, type SipCallerEvent } from './events';
import { asRecord } from './json';
import { ALL_EVENTS, isSelected, matchesAny, withDefaults, type DeliveryOptions } from './options';
import {
	OUTCOMES,
	refusal,
	type Facts,
	type IgnoreReason,
	type RefuseStatus,
	type RejectReason,
} from './outcomes';
import { toSimplifiedRow } from './simplified-row';
import { verifySignature } from './signature';

// Where they were first defined, for library users and the modules that import them from here.
export {
	ALL_EVENTS,
	OUTPUT_SHAPES,
	matchesAny,
	withDefaults,
	type DeliveryOptions,
	type OutputShape,
} from './options';
export type { IgnoreReason, RejectReason } from './outcomes';

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

export type Decision =
	| {
			action: 'reject';
			/** Its row's status in the outcome table (core/outcomes.ts). */
			status: RefuseStatus;
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

function stringField(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

const reject = refusal;

/**
 * An event that starts nothing (200), with its answer from the outcome table. `value` is what a
 * filter looked at, as sent: the answer spells it whatever it is, the decision keeps it if a string.
 */
function ignore(reason: IgnoreReason, facts: Facts, value?: unknown): Decision {
	const words = value === undefined ? facts : { ...facts, value: String(value) };
	const decision: Decision = {
		action: 'ignore',
		status: OUTCOMES[reason].status,
		reason,
		message: OUTCOMES[reason].answer(words),
		eventId: facts.eventId,
		eventType: facts.eventType,
	};
	if (typeof value === 'string') decision.value = value;
	return decision;
}

export function decide(delivery: Delivery): Decision {
	const options = withDefaults(delivery.options);
	const verdict = verifySignature(delivery.rawBody, delivery.signatureHeader, delivery.secrets, {
		maxAgeSeconds: options.maxAgeSeconds,
		maxFutureSeconds: options.maxFutureSeconds,
		now: delivery.now,
	});
	if (!verdict.ok) return reject(verdict.reason, { signedAt: verdict.timestamp });

	// An event type not selected is answered from the body's first bytes (SIP Caller writes `type`
	// before `data`): parsing the whole body was most of the cost. See peek.ts for what it reads.
	if (!options.events.includes(ALL_EVENTS) && typeof delivery.rawBody !== 'string') {
		const head = peekEventHead(delivery.rawBody);
		if (head?.type !== undefined && !options.events.includes(head.type)) {
			return ignore('eventNotSelected', { eventType: head.type, eventId: head.id });
		}
	}

	let json: unknown;
	try {
		const text =
			typeof delivery.rawBody === 'string' ? delivery.rawBody : delivery.rawBody.toString('utf8');
		json = JSON.parse(text);
	} catch {
		return reject('invalidJson');
	}

	// Any JSON object is an event (parseEvent's rule); the filters and the duplicate check read
	// only the event as sent, so every answer but "accept" is given before the schema check, which
	// is most of the cost of an accepted delivery.
	if (!isJsonObject(json)) return reject('notAnEvent');
	const event = json as GenericEvent;
	const eventId = stringField(event.id);
	const eventType = stringField(event.type);
	const about = { eventId, eventType };
	if (!isSelected(eventType, options.events)) return ignore('eventNotSelected', about);
	const data = asRecord(event.data);
	if (options.campaigns.length > 0) {
		const campaign = asRecord(data.campaign);
		if (!matchesAny([campaign.id, campaign.name], options.campaigns)) {
			return ignore(
				'campaignNotSelected',
				about,
				stringField(campaign.name) ?? stringField(campaign.id),
			);
		}
	}
	if (eventType === 'CallEnded') {
		const call = asRecord(data.callDetails);
		if (options.ringResults.length > 0 && !matchesAny([call.ringResult], options.ringResults)) {
			return ignore('ringResultNotSelected', about, call.ringResult);
		}
		if (options.outcomes.length > 0 && !matchesAny([call.outcome], options.outcomes)) {
			return ignore('outcomeNotSelected', about, call.outcome);
		}
	}

	const earlier =
		options.deduplicate && eventId !== undefined ? delivery.alreadySeen?.(eventId) : undefined;
	if (earlier === true || earlier === 'done') return ignore('duplicate', about);
	if (earlier === 'running') return reject('inProgress', about);

	const parsed = parseEvent(json);
	if (!parsed.ok) return reject('notAnEvent');
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
