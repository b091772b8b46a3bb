/**
 * Event ids as SIP Caller makes them. On its own, with no zod and no other core import, because
 * the sample sender (tools/sip-caller-send) ships it compiled beside the signer.
 */
import { randomBytes } from 'crypto';

/** A UUIDv7 (time-ordered), the kind of id SIP Caller gives its events. */
export function uuidv7(now: number = Date.now()): string {
	const bytes = randomBytes(16);
	bytes.writeUIntBE(now, 0, 6);
	bytes[6] = (bytes[6] & 0x0f) | 0x70;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
