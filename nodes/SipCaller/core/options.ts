/**
 * What a trigger (or a library user) chose for its deliveries, and the defaults that fill in what
 * it did not choose: one place for both, read by the decision, the explanations and the samples.
 */
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_MAX_FUTURE_SECONDS } from './signature';

/** `*` in the trigger's `events` parameter: every event type, including ones SIP Caller adds later. */
export const ALL_EVENTS = '*';

export const OUTPUT_SHAPES = ['full', 'simplified'] as const;
export type OutputShape = (typeof OUTPUT_SHAPES)[number];

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

/** Whether `type` is one of `events` (or `events` is every event). */
export function isSelected(type: unknown, events: readonly string[]): boolean {
	return events.includes(ALL_EVENTS) || (typeof type === 'string' && events.includes(type));
}

/** Case-insensitive, trimmed: users type `noanswer` or `Campaign 1 `. */
export function matchesAny(values: unknown[], wanted: readonly string[]): boolean {
	const normalized = new Set(wanted.map((w) => w.trim().toLowerCase()));
	return values.some((v) => typeof v === 'string' && normalized.has(v.trim().toLowerCase()));
}
