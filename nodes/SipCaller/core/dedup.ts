/**
 * Duplicate deliveries. SIP Caller retries a delivery it thinks failed, with the same event id; the
 * trigger remembers the ids it accepted (event id → when, epoch ms) and answers a repeat
 * "duplicate" without starting a second execution. Where the record lives is the adapter's concern
 * (n8n workflow static data plus an in-process map); these are the pure rules.
 */

/** Event id → when it was accepted (epoch milliseconds). */
export type SeenEvents = Record<string, number>;

/** How long ids are remembered when the trigger has no maximum event age: 7 days. */
export const DEFAULT_DEDUP_WINDOW_SECONDS = 7 * 24 * 60 * 60;
/** At most this many ids are kept (the newest), so the record stays small. */
export const MAX_REMEMBERED_EVENTS = 10_000;

/**
 * The remembering window for a maximum event age: an event older than the age is refused anyway,
 * so remembering it longer than that is useless (with no age limit, 7 days).
 */
export function dedupWindowSeconds(maxAgeSeconds: number): number {
	return maxAgeSeconds > 0 ? maxAgeSeconds : DEFAULT_DEDUP_WINDOW_SECONDS;
}

/** True when `eventId` was accepted within the window. */
export function wasSeen(
	seen: SeenEvents,
	eventId: string,
	nowMs: number,
	windowSeconds: number,
): boolean {
	const at = seen[eventId];
	return typeof at === 'number' && nowMs - at <= windowSeconds * 1000;
}

/** Merges records, drops ids older than the window and keeps the newest `maxEntries`. */
export function mergeSeen(
	records: SeenEvents[],
	nowMs: number,
	windowSeconds: number,
	maxEntries = MAX_REMEMBERED_EVENTS,
): SeenEvents {
	const merged = new Map<string, number>();
	for (const record of records) {
		for (const [id, at] of Object.entries(record)) {
			if (typeof at !== 'number' || nowMs - at > windowSeconds * 1000) continue;
			merged.set(id, Math.max(at, merged.get(id) ?? 0));
		}
	}
	const newest = [...merged].sort((a, b) => b[1] - a[1]).slice(0, maxEntries);
	return Object.fromEntries(newest);
}
