import { createHmac } from 'crypto';

import {
	DEFAULT_MAX_AGE_SECONDS,
	DEFAULT_MAX_FUTURE_SECONDS,
	describeSignatureFailure,
	generateSigningSecret,
	isValidSigningSecret,
	signPayload,
	verifySignature,
} from '../../nodes/SipCaller/core';
import { fixtureBytes } from '../helpers/fixtures';

const SECRET = '7c9e6679f42a4b9d8a1c2b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071';
const OTHER_SECRET = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const T = 1728776932; // the t of SIP Caller's documented example header
const NOW = T * 1000 + 30_000; // delivered 30 s after the event was generated

/** Independent of the code under test: the signature as SIP Caller's docs define it. */
function reference(secretHex: string, t: number, body: Buffer): string {
	return createHmac('sha256', Buffer.from(secretHex, 'hex'))
		.update(Buffer.concat([Buffer.from(`${t}.`), body]))
		.digest('hex');
}

const body = fixtureBytes('CallEnded');
const v1 = reference(SECRET, T, body);
const header = `t=${T},v1=${v1}`;

describe('signPayload', () => {
	it('matches an independently computed HMAC keyed with the hex-decoded secret', () => {
		expect(signPayload(body, SECRET, T)).toBe(header);
		expect(signPayload(body.toString('utf8'), SECRET, T)).toBe(header);
	});

	it('is not keyed with the UTF-8 text of the secret', () => {
		const utf8Keyed = createHmac('sha256', SECRET).update(`${T}.`).update(body).digest('hex');
		expect(signPayload(body, SECRET, T)).not.toContain(utf8Keyed);
	});

	it('pins a known vector', () => {
		// Computed once with: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:00ff
		expect(signPayload('{"a":1}', '00ff', 1700000000)).toBe(
			't=1700000000,v1=9e55e037cc3087c077e57c83b73ede758829575385001713f8ff9b47440d7b63',
		);
	});

	it.each(['', 'abc', 'secret-webhook-signing-secret', '00ff zz', '0x00ff'])(
		'refuses the malformed secret %p',
		(bad) => {
			expect(() => signPayload(body, bad, T)).toThrow(/not valid hex/);
		},
	);

	it.each([-1, 1.5, Number.NaN])('refuses the timestamp %p', (t) => {
		expect(() => signPayload(body, SECRET, t)).toThrow(/Unix seconds/);
	});
});

describe('verifySignature', () => {
	const ok = (rawBody: Buffer | string, h: string | string[] | undefined, secrets: string[]) =>
		verifySignature(rawBody, h, secrets, { now: NOW });

	it('accepts the correct signature and reports t and the matching secret', () => {
		expect(ok(body, header, [SECRET])).toEqual({ ok: true, timestamp: T, secretIndex: 0 });
		expect(verifySignature(body, header, SECRET, { now: new Date(NOW) }).ok).toBe(true);
	});

	it('accepts a string body with the same bytes', () => {
		expect(ok(body.toString('utf8'), header, [SECRET]).ok).toBe(true);
	});

	it('accepts uppercase hex in v1 and in the secret', () => {
		expect(ok(body, `t=${T},v1=${v1.toUpperCase()}`, [SECRET.toUpperCase()]).ok).toBe(true);
	});

	it.each([0, 31, 63])('refuses a v1 that differs from the digest at hex digit %i only', (at) => {
		const flipped = v1.slice(0, at) + (v1[at] === '0' ? '1' : '0') + v1.slice(at + 1);
		expect(ok(body, `t=${T},v1=${flipped}`, [SECRET])).toMatchObject({
			ok: false,
			reason: 'noMatch',
		});
		// Also among several v1 values, and in the general (spaced) header form.
		expect(ok(body, ` t=${T}, v1=${flipped} `, [SECRET])).toMatchObject({ reason: 'noMatch' });
		expect(ok(body, `t=${T},v1=${flipped},v1=${v1}`, [SECRET]).ok).toBe(true);
	});

	it('tolerates spaces around parts and ignores unknown schemes', () => {
		expect(ok(body, ` t = ${T} , v0=abc, v1= ${v1} ,v2=zz`, [SECRET]).ok).toBe(true);
	});

	it('accepts when any of several v1 matches', () => {
		const wrong = 'ab'.repeat(32);
		expect(ok(body, `t=${T},v1=${wrong},v1=${v1}`, [SECRET]).ok).toBe(true);
		expect(ok(body, `t=${T},v1=${v1},v1=${wrong}`, [SECRET]).ok).toBe(true);
	});

	it('accepts the previous secret during a rotation, and says so', () => {
		expect(ok(body, header, [OTHER_SECRET, SECRET])).toEqual({
			ok: true,
			timestamp: T,
			secretIndex: 1,
		});
	});

	it('skips empty secrets (an unset previous secret)', () => {
		expect(ok(body, header, [SECRET, '', undefined as unknown as string]).ok).toBe(true);
	});

	it('ignores white space around a pasted secret', () => {
		expect(ok(body, header, [` ${SECRET}\n`]).ok).toBe(true);
	});

	it('signs the exact bytes: multibyte UTF-8 and U+2028 survive', () => {
		const tricky = Buffer.from('{"name":"Zoë 😀 \u2028 \u00e9\u0301","n":1}', 'utf8');
		const h = `t=${T},v1=${reference(SECRET, T, tricky)}`;
		expect(ok(tricky, h, [SECRET]).ok).toBe(true);
		expect(ok(tricky.toString('utf8'), h, [SECRET]).ok).toBe(true);
		// the same text with U+2028 escaped, as a re-serializer might write it, is another body
		const escaped = Buffer.from(tricky.toString('utf8').replace('\u2028', '\\u2028'));
		expect(ok(escaped, h, [SECRET])).toMatchObject({ ok: false, reason: 'noMatch' });
	});

	it('fails a body re-serialized with other white space', () => {
		const compact = JSON.stringify(JSON.parse(body.toString('utf8')));
		expect(compact).not.toBe(body.toString('utf8'));
		expect(ok(compact, header, [SECRET])).toMatchObject({ ok: false, reason: 'noMatch' });
	});

	it('fails with the wrong secret, and says what to check', () => {
		const result = ok(body, header, [OTHER_SECRET]);
		expect(result).toEqual({
			ok: false,
			reason: 'noMatch',
			message: describeSignatureFailure('noMatch'),
		});
		expect(describeSignatureFailure('noMatch')).toMatch(/wrong signing secret/);
	});

	it('fails when the signature was made for another t', () => {
		expect(ok(body, `t=${T + 1},v1=${v1}`, [SECRET])).toMatchObject({ reason: 'noMatch' });
	});

	it.each([
		['undefined', undefined],
		['empty', ''],
		['blank', '   '],
		['empty array', []],
	])('reports a missing header (%s)', (_label, h) => {
		expect(ok(body, h as string | undefined, [SECRET])).toMatchObject({
			ok: false,
			reason: 'missingHeader',
		});
	});

	it.each([
		['no t', `v1=${v1}`],
		['no v1', `t=${T}`],
		['only unknown schemes', `t=${T},v0=${v1}`],
		['duplicate t', `t=${T},t=${T},v1=${v1}`],
		['empty t', `t=,v1=${v1}`],
		['empty v1', `t=${T},v1=`],
		['non-digit t', `t=12a,v1=${v1}`],
		['negative t', `t=-5,v1=${v1}`],
		['decimal t', `t=1.5,v1=${v1}`],
		['huge t', `t=${'9'.repeat(16)},v1=${v1}`],
		['non-hex v1', `t=${T},v1=${'zz'.repeat(32)}`],
		['short v1', `t=${T},v1=${v1.slice(0, 62)}`],
		['long v1', `t=${T},v1=${v1}00`],
		['part without =', `t=${T},v1=${v1},junk`],
		['empty part', `t=${T},,v1=${v1}`],
		['empty scheme', `t=${T},=x,v1=${v1}`],
		['semicolons', `t=${T};v1=${v1}`],
	])('reports a malformed header (%s)', (_label, h) => {
		expect(ok(body, h, [SECRET])).toEqual({
			ok: false,
			reason: 'malformedHeader',
			message: describeSignatureFailure('malformedHeader'),
		});
	});

	it('reads a header given as an array (repeated header lines) as one', () => {
		expect(ok(body, [`t=${T}`, `v1=${v1}`], [SECRET]).ok).toBe(true);
	});

	it.each([
		['the placeholder of SIP Caller sample receiver', ['secret-webhook-signing-secret']],
		['odd length', ['abc']],
		['hex then junk (Buffer.from would stop silently)', ['00ffzz']],
		['0x prefix', ['0x00ff']],
		['no secret at all', []],
		['only empty secrets', ['', '  ']],
		['a bad previous secret', [SECRET, 'not-hex']],
	])('reports a malformed secret (%s) before looking at the header', (_label, secrets) => {
		const result = ok(body, undefined, secrets);
		expect(result).toMatchObject({ ok: false, reason: 'malformedSecret' });
		if (!result.ok) expect(result.message).toMatch(/signing secret is not valid hex/);
	});

	it('never puts a secret in a message', () => {
		for (const secrets of [[SECRET], [OTHER_SECRET], ['zz' + SECRET]]) {
			const result = ok(body, `t=${T},v1=${'0'.repeat(64)}`, secrets);
			expect(JSON.stringify(result)).not.toContain(SECRET.slice(0, 16));
			expect(JSON.stringify(result)).not.toContain(OTHER_SECRET.slice(0, 16));
		}
	});

	describe('event age', () => {
		const at = (nowSeconds: number, options = {}) =>
			verifySignature(body, header, [SECRET], { now: nowSeconds * 1000, ...options });

		it('defaults to 24 hours and 5 minutes', () => {
			expect(DEFAULT_MAX_AGE_SECONDS).toBe(86400);
			expect(DEFAULT_MAX_FUTURE_SECONDS).toBe(300);
		});

		it('accepts an event retried 23 hours later (a 300 s window would not)', () => {
			expect(at(T + 23 * 3600).ok).toBe(true);
		});

		it('accepts exactly the maximum age, rejects one second more', () => {
			expect(at(T + DEFAULT_MAX_AGE_SECONDS).ok).toBe(true);
			expect(at(T + DEFAULT_MAX_AGE_SECONDS + 1)).toMatchObject({ ok: false, reason: 'tooOld' });
		});

		it('has no age limit with maxAgeSeconds 0', () => {
			expect(at(T + 400 * 86400, { maxAgeSeconds: 0 }).ok).toBe(true);
		});

		it('honours a custom maximum age', () => {
			expect(at(T + 61, { maxAgeSeconds: 60 })).toMatchObject({ reason: 'tooOld' });
			expect(at(T + 59, { maxAgeSeconds: 60 }).ok).toBe(true);
		});

		it('tolerates clock skew up to the future limit', () => {
			expect(at(T - DEFAULT_MAX_FUTURE_SECONDS).ok).toBe(true);
			expect(at(T - DEFAULT_MAX_FUTURE_SECONDS - 1)).toMatchObject({ ok: false, reason: 'tooNew' });
			expect(at(T - 10, { maxFutureSeconds: 0 })).toMatchObject({ reason: 'tooNew' });
		});

		it('checks the signature before the age: a forged old event is noMatch, not tooOld', () => {
			const forged = `t=${T - 10 * 86400},v1=${v1}`;
			expect(verifySignature(body, forged, [SECRET], { now: NOW })).toMatchObject({
				reason: 'noMatch',
			});
		});
	});

	it('names the fix when the body is a parsed object instead of the raw bytes', () => {
		const parsed = JSON.parse(body.toString('utf8'));
		const verdict = verifySignature(parsed, header, [SECRET], { now: NOW });
		expect(verdict).toMatchObject({ ok: false, reason: 'notRawBody' });
		if (!verdict.ok) {
			expect(verdict.message).toMatch(/parsed JavaScript object/);
			expect(verdict.message).toMatch(/raw request body/);
		}
		// also for other non-text bodies, whatever the header and secret say
		for (const value of [null, undefined, 42, [1, 2]]) {
			expect(
				verifySignature(value as unknown as string, header, [SECRET], { now: NOW }),
			).toMatchObject({ ok: false, reason: 'notRawBody' });
		}
	});

	it('accepts the raw bytes as a Uint8Array too', () => {
		const bytes = new Uint8Array(body);
		expect(verifySignature(bytes, header, [SECRET], { now: NOW })).toMatchObject({ ok: true });
	});

	it('never throws on inputs of the wrong type from untyped callers', () => {
		const weird: unknown[] = [null, 42, {}, [1, 2], Symbol('x')];
		for (const value of weird) {
			expect(() =>
				verifySignature(value as string, value as string, [value as string], { now: NOW }),
			).not.toThrow();
		}
	});
});

describe('secrets', () => {
	it('isValidSigningSecret accepts even-length hex only', () => {
		expect(isValidSigningSecret(SECRET)).toBe(true);
		expect(isValidSigningSecret('AbCd')).toBe(true);
		expect(isValidSigningSecret('')).toBe(false);
		expect(isValidSigningSecret('abc')).toBe(false);
		expect(isValidSigningSecret('secret-webhook-signing-secret')).toBe(false);
		expect(isValidSigningSecret(undefined)).toBe(false);
		expect(isValidSigningSecret(1234)).toBe(false);
	});

	// Keys are made once per secret text and kept (a bounded cache): each secret must still get its
	// own key, a malformed one must stay malformed however often it is used, and a full cache
	// must not change any answer.
	describe('the key made once per secret', () => {
		const body = fixtureBytes('CallEnded');
		const t = 1_800_000_000;
		const now = t * 1000;

		it('is the key of that secret, not of one seen before', () => {
			const header = signPayload(body, SECRET, t);
			for (let i = 0; i < 3; i++) {
				expect(verifySignature(body, header, [SECRET], { now })).toMatchObject({ ok: true });
				expect(verifySignature(body, header, [OTHER_SECRET], { now })).toMatchObject({
					reason: 'noMatch',
				});
				expect(verifySignature(body, header, [`  ${SECRET}\n`], { now })).toMatchObject({
					ok: true,
				});
			}
		});

		it('keeps a malformed secret malformed, also after its valid prefix was used', () => {
			const header = signPayload(body, SECRET, t);
			// Buffer.from(..., 'hex') would silently stop at the z and sign with the prefix
			const bad = `${SECRET}zz`;
			for (let i = 0; i < 3; i++) {
				expect(verifySignature(body, header, [SECRET], { now })).toMatchObject({ ok: true });
				expect(verifySignature(body, header, [bad], { now })).toMatchObject({
					reason: 'malformedSecret',
				});
				expect(() => signPayload(body, bad, t)).toThrow(TypeError);
			}
		});

		it('gives the same answers past the cache bound (200 secrets, twice over)', () => {
			const secrets = Array.from({ length: 200 }, () => generateSigningSecret());
			for (let round = 0; round < 2; round++) {
				secrets.forEach((secret, i) => {
					const header = signPayload(body, secret, t);
					expect(signPayload(body, secret, t)).toBe(header);
					expect(verifySignature(body, header, [secret], { now })).toMatchObject({ ok: true });
					const other = secrets[(i + 1) % secrets.length];
					expect(verifySignature(body, header, [other], { now })).toMatchObject({
						reason: 'noMatch',
					});
				});
			}
		});
	});

	it('generateSigningSecret makes distinct 32-byte hex secrets', () => {
		const a = generateSigningSecret();
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(generateSigningSecret()).not.toBe(a);
	});
});
