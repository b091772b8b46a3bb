/** Small readers for JSON that came over the network: they never throw on an odd shape. */

/** The value as an object to read keys from; anything else (array, null, text) reads as `{}`. */
export function asRecord(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

/**
 * A list a user typed or picked: `"a, b,,c"` or one entry per line → `["a", "b", "c"]`; an array
 * keeps its text and number entries, trimmed. Empty entries are dropped.
 */
export function splitList(value: unknown): string[] {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(/[,\n]/)
			: [];
	return parts
		.filter((part) => typeof part === 'string' || typeof part === 'number')
		.map((part) => String(part).trim())
		.filter((part) => part !== '');
}
