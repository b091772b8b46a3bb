/**
 * The first and the fourth steps of a delivery: what arrived (a POST's bytes and signature header,
 * or a browser's GET), and the core's decision on it with the credential's secrets.
 *
 * A GET on the Test URL is a person trying the workflow without SIP Caller: it becomes a sample of
 * a selected event type, signed below with the credential's own secret, so that it walks the same
 * steps as a real event (a secret that is not a SIP Caller secret is refused exactly as for a POST).
 * A sample proves the workflow and that the secret is hexadecimal, never that the secret is the one SIP Caller's
 * webhook signs with: only a real event, or the sample sender with that secret, proves that.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { EarlierDelivery } from '../core/dedup';
import { decide } from '../core/delivery';
import type { EventType } from '../core/events';
import type { DeliveryOptions } from '../core/options';
import { refusal, type Outcome, type TriggerRefusal } from '../core/outcomes';
import { sampleEvent, sampleTypeFor } from '../core/samples';
import { isValidSigningSecret, signPayload, SIGNATURE_HEADER } from '../core/signature';
import { isTesting } from './answer';
import { readTriggerOptions } from './options';
import type { CredentialRead } from './signing-secrets';

type Request = ReturnType<IWebhookFunctions['getRequestObject']>;

/** What arrived, as the next steps need it. */
export type Arrival =
	/** SIP Caller's POST (or anyone's): the body exactly as received and the signature header. */
	| { kind: 'post'; rawBody: Buffer; signatureHeader: string | string[] | undefined }
	/** A browser on the Test URL: SIP Caller's sample of a selected type, not signed yet. */
	| { kind: 'sample'; eventType: EventType; rawBody: Buffer; eventId: string }
	/** A browser on the Production URL: a page says what the URL is for; nothing starts. */
	| { kind: 'productionPage' }
	/** Refused before anything else is read: a body n8n consumed, no sample to give. */
	| { kind: 'refused'; refusal: TriggerRefusal; fromBrowser: boolean };

/**
 * The request body exactly as received, or undefined when n8n cannot give it. n8n 2.x keeps it in
 * `req.rawBody` when it parsed the body for the node; otherwise `req.readRawBody()` (added by n8n)
 * reads it. A multipart body has already been consumed by n8n's form parser and cannot be read
 * again. The signature is computed over these bytes, never over a body n8n parsed and we would
 * re-serialize.
 */
async function readRawBody(request: Request): Promise<Buffer | undefined> {
	try {
		if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
			await request.readRawBody();
		}
	} catch {
		return undefined;
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/**
 * Step 1: what arrived. For a POST, reads the bytes and the header and nothing else (neither the
 * credential nor the trigger's options); for a browser on the Test URL, the options say which
 * sample to make.
 */
export async function readRequest(context: IWebhookFunctions): Promise<Arrival> {
	const request = context.getRequestObject();
	// SIP Caller only POSTs: a GET is someone opening the URL in a browser.
	if (request.method === 'GET') {
		if (!isTesting(context)) return { kind: 'productionPage' };
		const options = readTriggerOptions(context).delivery;
		const now = Date.now();
		const query = context.getQueryData() as IDataObject;
		const requested = typeof query.event === 'string' ? query.event : undefined;
		const eventType = sampleTypeFor(options.events, requested);
		if (!eventType) return { kind: 'refused', refusal: refusal('noSample'), fromBrowser: true };
		const event = sampleEvent(eventType, options, now);
		return {
			kind: 'sample',
			eventType,
			rawBody: Buffer.from(JSON.stringify(event)),
			eventId: String(event.id),
		};
	}
	const rawBody = await readRawBody(request);
	if (!rawBody) return { kind: 'refused', refusal: refusal('unreadableBody'), fromBrowser: false };
	return {
		kind: 'post',
		rawBody,
		signatureHeader: request.headers[SIGNATURE_HEADER.toLowerCase()],
	};
}

/**
 * Step 4: the core's decision on what arrived, with the secrets the credential gave (a credential
 * n8n could not read is a refusal of its own). A sample is signed here, as SIP Caller would sign
 * it, with the first secret that is a SIP Caller secret; with none, `decide` refuses it for the
 * secret, exactly as it refuses a POST.
 */
export function decideArrival(
	arrival: Extract<Arrival, { kind: 'post' | 'sample' }>,
	credential: CredentialRead,
	options: DeliveryOptions,
	now: number,
	alreadySeen: ((eventId: string) => EarlierDelivery) | undefined,
): Outcome {
	if (!credential.ok) return refusal('credentialUnreadable', { cause: credential.cause });
	const secrets = [credential.secrets.signingSecret, credential.secrets.previousSigningSecret];
	let signatureHeader = arrival.kind === 'post' ? arrival.signatureHeader : undefined;
	if (arrival.kind === 'sample') {
		const secret = secrets.find(isValidSigningSecret);
		if (secret) signatureHeader = signPayload(arrival.rawBody, secret, Math.floor(now / 1000));
	}
	return decide({
		rawBody: arrival.rawBody,
		signatureHeader,
		secrets,
		options,
		now,
		alreadySeen,
	});
}
