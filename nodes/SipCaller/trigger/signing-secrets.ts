/**
 * The trigger's signing secrets, read through n8n and kept in this process's memory for a few
 * seconds; a credential n8n cannot read is an answer too, kept the same way.
 *
 * Why a memory: n8n's `getCredentials` reads the credential from its database and decrypts it on
 * every request, a large part of what an accepted delivery costs beyond a trigger without a
 * credential (docs/performance.md). SIP Caller sends bursts (a campaign's calls end in waves), so a
 * short memory removes nearly all of those reads.
 *
 * Safe because:
 * - An entry belongs to one workflow, trigger node and credential id, and was read through n8n's
 *   own `getCredentials` for that same node: a cached secret is never used where n8n would not
 *   hand it out.
 * - A refusal a newer credential could cure (the outcome table's `freshReadMayCure`) is decided
 *   again on a fresh read, so a secret just changed in n8n works on its first event.
 * - Fresh reads are bounded per trigger: at most one in flight, and at most one per
 *   `FRESH_READ_INTERVAL_MS`, so a flood of forged signatures reads the credential a handful of
 *   times instead of once per request. The price: a secret changed in n8n less than that interval
 *   after a forgery's fresh read is seen a moment later. Such a refusal is answered but not
 *   reported (it was not confirmed on a fresh read), so it raises no false alarm, and SIP Caller
 *   retries the event.
 * - What the memory can delay is the other way round: a secret removed from the credential (the
 *   previous one, after a rotation) still verifies events for at most `SECRET_MEMORY_SECONDS`.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

export const SECRET_MEMORY_SECONDS = 5;
/** At most one fresh read per trigger in this long (ms): what a forged flood can cost. */
export const FRESH_READ_INTERVAL_MS = 1_000;
/** Entries kept at most (one per active trigger node); the oldest goes first. */
const MAX_ENTRIES = 1_000;
/** n8n's reason for a refused credential, as kept: enough for its message, never a flood of text. */
const MAX_CAUSE_LENGTH = 300;
const CREDENTIAL_TYPE = 'sipCallerWebhookApi';

export interface SigningSecrets {
	signingSecret?: string;
	previousSigningSecret?: string;
}

/** What reading the credential gave: its secrets, or n8n's reason for not giving them. */
export type CredentialRead =
	{ ok: true; secrets: SigningSecrets } | { ok: false; /** n8n's words */ cause: string };

interface Entry {
	read: CredentialRead;
	until: number;
	/** When the last fresh read started (epoch ms). */
	freshAt?: number;
}

const memory = new Map<string, Entry>();
/** The read in progress per key: concurrent deliveries share it (a burst of 10 reads once). */
const reading = new Map<string, Promise<CredentialRead>>();

/** The key of this trigger's credential: workflow, trigger node and credential id. */
function keyOf(context: IWebhookFunctions): string {
	const node = context.getNode();
	const credentialId = node.credentials?.[CREDENTIAL_TYPE]?.id ?? '';
	return `${context.getWorkflow().id ?? ''}|${node.id}|${credentialId}`;
}

async function readCredential(context: IWebhookFunctions): Promise<CredentialRead> {
	try {
		const credential = await context.getCredentials<SigningSecrets>(CREDENTIAL_TYPE);
		return {
			ok: true,
			secrets: {
				signingSecret: credential.signingSecret,
				previousSigningSecret: credential.previousSigningSecret,
			},
		};
	} catch (error) {
		// Deleted, an expression n8n refuses ($env with env access blocked), not set on the node...
		const cause = error instanceof Error ? error.message : String(error);
		return { ok: false, cause: cause.slice(0, MAX_CAUSE_LENGTH) };
	}
}

/**
 * One read through n8n, shared with any delivery that asks while it runs, then remembered from the
 * moment it ended. Times are taken when the credential is asked for, never when the request
 * arrived: a sender who finishes its bodies in another order must not move the bound backwards.
 */
async function readShared(
	context: IWebhookFunctions,
	key: string,
	fresh: boolean,
): Promise<CredentialRead> {
	const inProgress = reading.get(key);
	if (inProgress) return inProgress;
	const read = readCredential(context);
	reading.set(key, read);
	const askedAt = Date.now();
	const previous = memory.get(key)?.freshAt;
	const freshAt = fresh ? Math.max(previous ?? askedAt, askedAt) : previous;
	let result: CredentialRead;
	try {
		result = await read;
	} finally {
		if (reading.get(key) === read) reading.delete(key);
	}
	// Re-inserted so the Map's order stays oldest first.
	memory.delete(key);
	memory.set(key, { read: result, until: Date.now() + SECRET_MEMORY_SECONDS * 1000, freshAt });
	if (memory.size > MAX_ENTRIES) memory.delete(memory.keys().next().value as string);
	return result;
}

/**
 * This trigger's credential: from memory when read less than `SECRET_MEMORY_SECONDS` ago, or from
 * a read already in progress, else through n8n. `remembered` says this call did not start the read
 * itself, so a refusal that a newer credential could cure deserves `freshSigningSecrets`.
 */
export async function signingSecrets(
	context: IWebhookFunctions,
): Promise<CredentialRead & { remembered: boolean }> {
	const key = keyOf(context);
	const entry = memory.get(key);
	const now = Date.now();
	// Also expired when the clock has stepped back: never remembered longer than promised.
	if (entry && entry.until > now && entry.until - now <= SECRET_MEMORY_SECONDS * 1000) {
		return { ...entry.read, remembered: true };
	}
	const remembered = reading.has(key);
	return { ...(await readShared(context, key, false)), remembered };
}

/**
 * The credential read again, for a refusal it may cure; undefined when this trigger had a fresh
 * read less than `FRESH_READ_INTERVAL_MS` ago (the caller's refusal stands, unconfirmed: SIP Caller
 * retries a genuine event later). A read already in progress is shared, never doubled.
 */
export async function freshSigningSecrets(
	context: IWebhookFunctions,
): Promise<CredentialRead | undefined> {
	const key = keyOf(context);
	const inProgress = reading.get(key);
	if (inProgress) return inProgress;
	const freshAt = memory.get(key)?.freshAt;
	const now = Date.now();
	// A clock stepped back opens the interval again rather than closing it for longer.
	if (freshAt !== undefined && now >= freshAt && now - freshAt < FRESH_READ_INTERVAL_MS) {
		return undefined;
	}
	return readShared(context, key, true);
}
