/**
 * The event's `id` and `type` read from the first bytes of a signed body, without parsing it.
 *
 * Why: most of the cost of answering an event type the trigger does not select was `JSON.parse` of
 * the whole body (SIP Caller sends every event type to every webhook). SIP Caller writes `id`,
 * `object`, `apiVersion`, `createdAt` and `type` first, before the nested `data`, so the type is
 * known after about 150 bytes.
 *
 * Only for bodies whose signature has already been checked: the bytes are SIP Caller's. The
 * peek reads the object's top-level members in order and stops, returning what it has, at the
 * first value that is an object or an array; it gives up (undefined) on anything it does not
 * fully understand (a string with an escape or a non-ASCII byte, a body that is not an object),
 * and the caller then parses the body as before. A repeated key: the first one is read (SIP Caller
 * writes each key once; JSON.parse would keep the last).
 */
export interface EventHead {
	id?: string;
	type?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;

function isSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, i: number): number {
	while (i < bytes.length && isSpace(bytes[i])) i++;
	return i;
}

/** Per byte inside a string: 0 = plain ASCII, 1 = the closing quote, 2 = give up (escape, control, non-ASCII). */
const IN_STRING = new Uint8Array(256).fill(2);
IN_STRING.fill(0, 0x20, 0x7f);
IN_STRING[QUOTE] = 1;
IN_STRING[BACKSLASH] = 2;

/** Index just past the closing quote of the plain-ASCII string opening at `start`, or -1. */
function stringEnd(bytes: Uint8Array, start: number): number {
	for (let i = start + 1; i < bytes.length; i++) {
		const kind = IN_STRING[bytes[i]];
		if (kind !== 0) return kind === 1 ? i + 1 : -1;
	}
	return -1;
}

const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** Index just past the digits starting at `i` (at least one), or -1. */
function digitsEnd(bytes: Uint8Array, i: number): number {
	const start = i;
	while (i < bytes.length && isDigit(bytes[i])) i++;
	return i > start ? i : -1;
}

/** Index just past `word` if the bytes at `i` spell it, or -1. */
function wordEnd(bytes: Uint8Array, i: number, word: string): number {
	for (let k = 0; k < word.length; k++) {
		if (bytes[i + k] !== word.charCodeAt(k)) return -1;
	}
	return i + word.length;
}

/** Index just past the JSON number, `true`, `false` or `null` starting at `i`, or -1. */
function scalarEnd(bytes: Uint8Array, i: number): number {
	const first = bytes[i];
	if (first === 0x74) return wordEnd(bytes, i, 'true');
	if (first === 0x66) return wordEnd(bytes, i, 'false');
	if (first === 0x6e) return wordEnd(bytes, i, 'null');
	if (first === 0x2d) i++; // -
	// An integer part of 0, or digits not starting with 0.
	if (bytes[i] === 0x30) i++;
	else if ((i = digitsEnd(bytes, i)) < 0) return -1;
	if (bytes[i] === 0x2e && (i = digitsEnd(bytes, i + 1)) < 0) return -1; // .
	if (bytes[i] === 0x65 || bytes[i] === 0x45) {
		// e / E, then an optional sign
		i++;
		if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
		if ((i = digitsEnd(bytes, i)) < 0) return -1;
	}
	return i;
}

/** Whether the quoted key at `start..end` is `word` (compared byte by byte, no string made). */
function keyIs(bytes: Uint8Array, start: number, end: number, word: string): boolean {
	return end - start === word.length + 2 && wordEnd(bytes, start + 1, word) === end - 1;
}

/** Bytes already checked to be printable ASCII, as a string. */
function ascii(bytes: Uint8Array, from: number, to: number): string {
	return Buffer.isBuffer(bytes)
		? bytes.toString('latin1', from, to)
		: String.fromCharCode(...bytes.subarray(from, to));
}

export function peekEventHead(bytes: Uint8Array): EventHead | undefined {
	const head: EventHead = {};
	let i = skipSpace(bytes, 0);
	if (bytes[i] !== OPEN_OBJECT) return undefined;
	i = skipSpace(bytes, i + 1);
	if (bytes[i] === CLOSE_OBJECT) return head;
	for (;;) {
		if (bytes[i] !== QUOTE) return undefined;
		const keyEnd = stringEnd(bytes, i);
		if (keyEnd < 0) return undefined;
		const key = keyIs(bytes, i, keyEnd, 'id')
			? 'id'
			: keyIs(bytes, i, keyEnd, 'type')
				? 'type'
				: undefined;
		i = skipSpace(bytes, keyEnd);
		if (bytes[i] !== COLON) return undefined;
		i = skipSpace(bytes, i + 1);
		const first = bytes[i];
		if (first === OPEN_OBJECT || first === OPEN_ARRAY) return head;
		let valueEnd: number;
		if (first === QUOTE) {
			valueEnd = stringEnd(bytes, i);
			if (valueEnd < 0) return undefined;
			if (key !== undefined && head[key] === undefined) {
				head[key] = ascii(bytes, i + 1, valueEnd - 1);
			}
		} else {
			valueEnd = scalarEnd(bytes, i);
			if (valueEnd < 0) return undefined;
		}
		i = skipSpace(bytes, valueEnd);
		if (bytes[i] === CLOSE_OBJECT) return head;
		if (bytes[i] !== COMMA) return undefined;
		i = skipSpace(bytes, i + 1);
	}
}
