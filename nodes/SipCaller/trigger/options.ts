/** The trigger's parameters, read at delivery time, as the core's delivery options. */
import type { IWebhookFunctions } from 'n8n-workflow';

import { OUTPUT_SHAPES, type DeliveryOptions, type OutputShape } from '../core/options';
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

/** Whether n8n would evaluate something in this value (a string starting with `=`, at any depth). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null)
		return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A parameter as saved, unless it holds an expression: then as n8n resolves it. Why: each resolving
 * read rebuilds n8n's expression context ($execution, $vars, ...) even for a plain value, on every
 * delivery; a saved value with no expression is already what resolution would return.
 */
function parameter(context: IWebhookFunctions, name: string, fallback: unknown): unknown {
	const saved = context.getNodeParameter(name, fallback, { rawExpressions: true });
	return holdsExpression(saved) ? context.getNodeParameter(name, fallback) : saved;
}

/**
 * The node's parameters, read once per delivery: the core's delivery options (defaults come from
 * the core) and the Respond mode.
 */
export function readTriggerOptions(context: IWebhookFunctions): {
	delivery: DeliveryOptions;
	respond: RespondMode;
} {
	const options = asOptions(parameter(context, 'options', {}));
	return {
		delivery: deliveryOptions(context, options),
		respond: options.respond === 'afterWorkflow' ? 'afterWorkflow' : 'immediately',
	};
}

function deliveryOptions(
	context: IWebhookFunctions,
	options: Record<string, unknown>,
): DeliveryOptions {
	const events = asEvents(parameter(context, 'events', []));
	// Version 2 has Output at the top level (default Simplified); version 1 in Options (default Full).
	const output =
		context.getNode().typeVersion >= 2
			? outputShape(parameter(context, 'output', 'simplified'), 'simplified')
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

function asOptions(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

/** The `events` list; one event type given as a string (by an expression) counts as a list of one. */
function asEvents(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
