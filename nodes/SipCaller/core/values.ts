/**
 * SIP Caller's wire values as values a no-code user can map: durations in seconds, ISO-8601 UTC
 * times, survey answers as keys. Pure functions; they never throw on what SIP Caller sends (a value
 * they cannot read gives `null`, and the raw value stays in the event).
 */

// [-][d.]hh:mm:ss[.fraction], the .NET TimeSpan form SIP Caller uses (`00:00:21.34`).
const DURATION = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/**
 * `"00:00:21.34"` → `21.34` (seconds). Whole seconds are added as integers and the fraction is
 * appended as written, so the result is the decimal SIP Caller wrote, without float drift.
 * Returns null for null, undefined or anything that is not a duration.
 */
export function durationToSeconds(value: string | null | undefined): number | null {
	if (typeof value !== 'string') return null;
	const match = DURATION.exec(value.trim());
	if (!match) return null;
	const [, sign, days, hours, minutes, seconds, fraction] = match;
	if (Number(minutes) > 59 || Number(seconds) > 59) return null;
	const whole =
		Number(days ?? 0) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
	const total = Number(fraction ? `${whole}.${fraction}` : `${whole}`);
	return sign && total !== 0 ? -total : total;
}

const NAIVE_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * SIP Caller writes UTC date-times without a zone (`2024-10-12T23:56:52.78`). Returns the same
 * instant as ISO-8601 with `Z` and milliseconds (`2024-10-12T23:56:52.780Z`), so n8n, Sheets and
 * CRMs do not read it as local time. A value that already has a zone is converted to UTC.
 * Returns null for null, undefined or anything that is not such a date-time.
 */
export function toIsoUtc(value: string | null | undefined): string | null {
	if (typeof value !== 'string') return null;
	const match = NAIVE_DATE_TIME.exec(value.trim());
	if (!match) return null;
	const [, dateTime, fraction = '', zone = 'Z'] = match;
	// Date keeps milliseconds: pad or cut the fraction to 3 digits (cutting, not rounding, so
	// .9999 never rolls over into the next second).
	const millis = fraction ? `.${fraction.slice(1, 4).padEnd(3, '0')}` : '.000';
	// Already UTC and plainly valid (day up to 28, so no month rolls over): the answer is the text
	// itself, without a Date (the largest part of the Simplified row's cost). Anything else asks Date.
	if (zone === 'Z' && isPlainlyValid(dateTime)) return `${dateTime}${millis}Z`;
	const date = new Date(`${dateTime}${millis}${zone}`);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `YYYY-MM-DDTHH:mm:ss` with month 01-12, day 01-28, hours 00-23, minutes and seconds 00-59. */
function isPlainlyValid(dateTime: string): boolean {
	const month = Number(dateTime.slice(5, 7));
	const day = Number(dateTime.slice(8, 10));
	return (
		month >= 1 &&
		month <= 12 &&
		day >= 1 &&
		day <= 28 &&
		Number(dateTime.slice(11, 13)) <= 23 &&
		Number(dateTime.slice(14, 16)) <= 59 &&
		Number(dateTime.slice(17, 19)) <= 59
	);
}

/**
 * The answers a callflow gathered, `"Question1=4|Question2=1"` → `{ Question1: "4", Question2: "1" }`.
 * - null, undefined, empty or blank → `{}`;
 * - pairs are separated by `|`; empty pairs (`a=1||b=2`) are skipped;
 * - the key is what stands before the first `=` (trimmed), the value everything after it, as
 *   written (`url=a=b` → `{ url: "a=b" }`);
 * - a pair without `=` is a key with an empty value (`Skipped` → `{ Skipped: "" }`);
 * - a pair with an empty key (`=5`) is skipped;
 * - a repeated key keeps the last value (a callflow that asks a question again records the latest
 *   answer); the raw string stays in the event for anyone who needs every answer.
 */
export function parseGatheredData(value: string | null | undefined): Record<string, string> {
	const answers = new Map<string, string>();
	if (typeof value !== 'string') return {};
	for (const pair of value.split('|')) {
		if (pair.trim() === '') continue;
		const eq = pair.indexOf('=');
		const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
		if (key === '') continue;
		answers.set(key, eq < 0 ? '' : pair.slice(eq + 1));
	}
	// fromEntries defines own properties, so a key like `__proto__` cannot touch the prototype.
	return Object.fromEntries(answers);
}
