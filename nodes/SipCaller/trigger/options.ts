/** The trigger's parameters, read at delivery time, as the core's delivery options. */
import type { IWebhookFunctions } from 'n8n-workflow';

import { OUTPUT_SHAPES, type DeliveryOptions, type OutputShape } from '../core/delivery';
import { splitList } from '../core/json';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_MAX_FUTURE_SECONDS } from '../core/signature';

function nonNegative(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function outputShape(value: unknown, fallback: OutputShape): OutputShape {
	return (OUTPUT_SHAPES as readonly string[]).includes(value as string)
		? (value as OutputShape)
		: fallback;
}

/**
 * When SIP Caller gets its answer: `immediately` (as soon as n8n has taken the event) or
 * `afterWorkflow` (once the workflow has finished: 2xx, or 500 when it failed).
 */
export const RESPOND_MODES = ['immediately', 'afterWorkflow'] as const;
export type RespondMode = (typeof RESPOND_MODES)[number];

/**
 * The node's parameters, read once per delivery: the core's delivery options (defaults come from
 * the core) and the Respond mode.
 */
export function readTriggerOptions(context: IWebhookFunctions): {
	delivery: DeliveryOptions;
	respond: RespondMode;
} {
	const options = context.getNodeParameter('options', {}) as Record<string, unknown>;
	return {
		delivery: deliveryOptions(context, options),
		respond: options.respond === 'afterWorkflow' ? 'afterWorkflow' : 'immediately',
	};
}

function deliveryOptions(
	context: IWebhookFunctions,
	options: Record<string, unknown>,
): DeliveryOptions {
	const events = context.getNodeParameter('events', []) as string[];
	// Version 2 has Output at the top level (default Simplified); version 1 in Options (default Full).
	const output =
		context.getNode().typeVersion >= 2
			? outputShape(context.getNodeParameter('output', 'simplified'), 'simplified')
			: outputShape(options.output, 'full');
	return {
		events,
		maxAgeSeconds: nonNegative(options.maxAgeSeconds, DEFAULT_MAX_AGE_SECONDS),
		maxFutureSeconds: nonNegative(options.maxFutureSeconds, DEFAULT_MAX_FUTURE_SECONDS),
		output,
		campaigns: [...splitList(options.campaigns), ...splitList(options.campaignIds)],
		ringResults: [...splitList(options.ringResults), ...splitList(options.otherRingResults)],
		outcomes: [...splitList(options.outcomes), ...splitList(options.otherOutcomes)],
		deduplicate: options.deduplicate !== false,
	};
}
