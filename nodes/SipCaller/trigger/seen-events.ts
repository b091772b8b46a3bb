import type { IWebhookFunctions } from 'n8n-workflow';

import { mergeSeen, wasSeen, type SeenEvents } from '../core/dedup';

/**
 * Ids this n8n process accepted, per workflow and trigger node. The durable record is the
 * workflow's static data, which n8n saves after the answer is sent (measured on n8n 2.41.1, for
 * deliveries that start an execution and for those that do not) and reloads per request; but two
 * deliveries that arrive together both read the record before either is saved. This map is checked
 * and updated synchronously, so a concurrent retry in the same process is caught, and every save
 * writes the union, so concurrent first deliveries do not erase each other.
 */
const acceptedHere = new Map<string, SeenEvents>();

export interface SeenEventsStore {
	alreadySeen(eventId: string): boolean;
	remember(eventId: string): void;
}

/** The trigger's record of accepted event ids, keyed by node id so a rename keeps it. */
export function openSeenEvents(
	context: IWebhookFunctions,
	windowSeconds: number,
	nowMs: number,
): SeenEventsStore {
	const nodeId = context.getNode().id;
	const staticData = context.getWorkflowStaticData('global');
	const key = `sipCallerSeenEvents:${nodeId}`;
	const processKey = `${context.getWorkflow().id ?? ''}|${nodeId}`;
	const stored = (staticData[key] ?? {}) as SeenEvents;
	return {
		alreadySeen(eventId) {
			const here = acceptedHere.get(processKey) ?? {};
			return (
				wasSeen(here, eventId, nowMs, windowSeconds) ||
				wasSeen(stored, eventId, nowMs, windowSeconds)
			);
		},
		remember(eventId) {
			const here = mergeSeen(
				[acceptedHere.get(processKey) ?? {}, { [eventId]: nowMs }],
				nowMs,
				windowSeconds,
			);
			acceptedHere.set(processKey, here);
			// A new object, so n8n sees the static data changed and saves it.
			staticData[key] = mergeSeen([stored, here], nowMs, windowSeconds);
		},
	};
}
