/**
 * The trigger's signing secrets, kept in this process's memory for a few seconds.
 *
 * Why: n8n's `getCredentials` reads the credential from its database and decrypts it on every
 * request; profiled on n8n 2.41.1 that was about a quarter of what an accepted delivery costs us
 * beyond a trigger without a credential. SIP Caller sends bursts (a campaign's calls end in waves),
 * so a short memory removes nearly all of those reads.
 *
 * Safe because:
 * - An entry belongs to one workflow, trigger node and credential id, and was read through n8n's
 *   own `getCredentials` for that same node: a cached secret is never used where n8n would not
 *   hand it out.
 * - A signature that matches none of the cached secrets is checked again against a fresh read
 *   before anything is refused, so a secret just changed in n8n works on its first event.
 * - What the memory can delay is the other way round: a secret removed from the credential (the
 *   previous one, after a rotation) still verifies events for at most `SECRET_MEMORY_SECONDS`.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

export const SECRET_MEMORY_SECONDS = 5;
/** Entries kept at most (one per active trigger node); the oldest goes first. */
const MAX_ENTRIES = 1_000;
const CREDENTIAL_TYPE = 'sipCallerWebhookApi';

export interface SigningSecrets {
	signingSecret?: string;
	previousSigningSecret?: string;
}

interface Entry {
	secrets: SigningSecrets;
	until: number;
}

const memory = new Map<string, Entry>();

/** The key of this trigger's credential, or undefined when n8n gave the node no credential id. */
function keyOf(context: IWebhookFunctions): string | undefined {
	const node = context.getNode();
	const credentialId = node.credentials?.[CREDENTIAL_TYPE]?.id;
	if (!credentialId) return undefined;
	return `${context.getWorkflow().id ?? ''}|${node.id}|${credentialId}`;
}

/** Reads in progress: concurrent deliveries that find no memory share one read instead of each
 * reading (a burst of 10 in flight would otherwise read and decrypt 10 times per expiry). */
const reading = new Map<string, Promise<SigningSecrets>>();

async function readSecrets(context: IWebhookFunctions): Promise<SigningSecrets> {
	const credential = await context.getCredentials<SigningSecrets>(CREDENTIAL_TYPE);
	return {
		signingSecret: credential.signingSecret,
		previousSigningSecret: credential.previousSigningSecret,
	};
}

/**
 * This trigger's secrets: from memory when read less than `SECRET_MEMORY_SECONDS` ago, or from a
 * read already in progress, else (or with `fresh`) through n8n. `remembered` says whether this
 * call did not read them itself, so the caller knows a refusal needs a fresh read.
 */
export async function signingSecrets(
	context: IWebhookFunctions,
	now: number,
	fresh = false,
): Promise<{ secrets: SigningSecrets; remembered: boolean }> {
	const key = keyOf(context);
	if (key === undefined) return { secrets: await readSecrets(context), remembered: false };
	if (!fresh) {
		const entry = memory.get(key);
		// Also expired when the clock has stepped back: never remembered longer than promised.
		if (entry && entry.until > now && entry.until - now <= SECRET_MEMORY_SECONDS * 1000) {
			return { secrets: entry.secrets, remembered: true };
		}
		// Expired secrets leave memory at once, not only when replaced.
		if (entry) memory.delete(key);
		const inProgress = reading.get(key);
		if (inProgress) return { secrets: await inProgress, remembered: true };
	}
	const read = readSecrets(context);
	reading.set(key, read);
	let secrets: SigningSecrets;
	try {
		secrets = await read;
	} finally {
		if (reading.get(key) === read) reading.delete(key);
	}
	// Re-inserted so the Map's order stays oldest first.
	memory.delete(key);
	memory.set(key, { secrets, until: now + SECRET_MEMORY_SECONDS * 1000 });
	if (memory.size > MAX_ENTRIES) memory.delete(memory.keys().next().value as string);
	return { secrets, remembered: false };
}

/** Refusals a newer secret could turn into an acceptance (the others do not depend on it). */
export function secretMayBeStale(reason: string): boolean {
	return reason === 'noMatch' || reason === 'malformedSecret';
}
