import fc from 'fast-check';

import { signPayload, verifySignature } from '../../nodes/SipCaller/core';

const secretArb = fc
	.uint8Array({ minLength: 1, maxLength: 64 })
	.map((b) => Buffer.from(b).toString('hex'));
const bodyArb = fc.uint8Array({ minLength: 0, maxLength: 512 }).map((b) => Buffer.from(b));
const tArb = fc.integer({ min: 1_500_000_000, max: 2_500_000_000 });
const now = (t: number) => ({ now: t * 1000 });

describe('signature properties', () => {
	it('sign → verify is ok for any secret, body and timestamp', () => {
		fc.assert(
			fc.property(secretArb, bodyArb, tArb, (secret, body, t) => {
				const header = signPayload(body, secret, t);
				expect(verifySignature(body, header, [secret], now(t))).toEqual({
					ok: true,
					timestamp: t,
					secretIndex: 0,
				});
			}),
			{ numRuns: 300 },
		);
	});

	it('any single-byte change of the body is rejected', () => {
		fc.assert(
			fc.property(
				secretArb,
				bodyArb.filter((b) => b.length > 0),
				tArb,
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				(secret, body, t, at, delta) => {
					const header = signPayload(body, secret, t);
					const changed = Buffer.from(body);
					changed[at % body.length] = (changed[at % body.length] + delta) % 256;
					expect(verifySignature(changed, header, [secret], now(t)).ok).toBe(false);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('any single-character change of the header is rejected', () => {
		fc.assert(
			fc.property(
				secretArb,
				bodyArb,
				tArb,
				fc.nat(),
				fc.integer({ min: 1, max: 127 }),
				(secret, body, t, at, delta) => {
					const header = signPayload(body, secret, t);
					const i = at % header.length;
					const replaced = String.fromCharCode((header.charCodeAt(i) + delta) % 128);
					const changed = header.slice(0, i) + replaced + header.slice(i + 1);
					// Changing a hex digit's case (a → A) or a space is the same header, not a change.
					fc.pre(changed.toLowerCase() !== header.toLowerCase());
					fc.pre(changed.replace(/ /g, '') !== header);
					expect(verifySignature(body, changed, [secret], now(t)).ok).toBe(false);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('any single-byte change of the secret is rejected', () => {
		fc.assert(
			fc.property(
				secretArb,
				bodyArb,
				tArb,
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				(secret, body, t, at, delta) => {
					const header = signPayload(body, secret, t);
					const key = Buffer.from(secret, 'hex');
					key[at % key.length] = (key[at % key.length] + delta) % 256;
					expect(verifySignature(body, header, [key.toString('hex')], now(t)).ok).toBe(false);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('random strings as a header never throw and are never accepted', () => {
		const headerArb = fc.oneof(
			fc.string({ maxLength: 200 }),
			fc.string({ unit: 'binary', maxLength: 200 }),
			fc
				.array(
					fc.oneof(
						fc.constantFrom('t', 'v1', 'v0', ' ', '', '=', ','),
						fc.string({ maxLength: 70 }),
					),
					{
						maxLength: 12,
					},
				)
				.map((parts) => parts.join('')),
			fc
				.tuple(
					tArb,
					fc
						.uint8Array({ minLength: 32, maxLength: 32 })
						.map((b) => Buffer.from(b).toString('hex')),
				)
				.map(([t, h]) => `t=${t},v1=${h}`),
		);
		fc.assert(
			fc.property(headerArb, secretArb, bodyArb, (header, secret, body) => {
				let result;
				expect(() => {
					result = verifySignature(body, header, [secret], now(2_000_000_000));
				}).not.toThrow();
				expect(result).toMatchObject({ ok: false });
			}),
			{ numRuns: 1000 },
		);
	});
});
