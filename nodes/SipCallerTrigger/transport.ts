import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { Decision } from '../SipCaller/core';

type Request = ReturnType<IWebhookFunctions['getRequestObject']>;

/**
 * The request body exactly as received. n8n keeps it in `req.rawBody` when its body parser ran
 * (JSON, form and text content types); for other content types the body is still unread and
 * `req.readRawBody()` (added by n8n) reads it. The signature is computed over these bytes, never
 * over a body n8n parsed and we would re-serialize.
 */
export async function readRawBody(request: Request): Promise<Buffer> {
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

/**
 * Turns the core's decision into n8n's answer. Rejected and ignored deliveries are answered here
 * and start no execution (`noWebhookResponse`); throwing instead would record an error execution
 * for every bad request. Accepted events start the workflow with one item and a JSON receipt.
 */
export function respond(context: IWebhookFunctions, decision: Decision): IWebhookResponseData {
	const response = context.getResponseObject();
	switch (decision.action) {
		case 'reject':
			if (decision.status === 500) {
				context.logger.error(`SIP Caller Trigger: ${decision.message}`);
			} else {
				context.logger.debug(`SIP Caller Trigger refused a delivery: ${decision.message}`);
			}
			response.status(decision.status).type('text/plain').send(decision.message);
			return { noWebhookResponse: true };
		case 'ignore':
			response.status(200).json({
				received: true,
				ignored: true,
				reason: decision.reason,
				message: decision.message,
				eventId: decision.eventId,
			});
			return { noWebhookResponse: true };
		case 'accept': {
			const eventId = typeof decision.event.id === 'string' ? decision.event.id : undefined;
			if (decision.issues.length > 0) {
				// Paths and expectations only: never values, so no customer data reaches the log.
				context.logger.warn(
					`SIP Caller event ${eventId ?? '(no id)'} (${String(decision.event.type)}) differs from the documented schema; emitted as received`,
					{ eventId, eventType: decision.event.type, issues: decision.issues },
				);
			}
			if (decision.signedWithPreviousSecret) {
				context.logger.info(
					'SIP Caller event matched the previous signing secret: clear it from the credential once pending retries are through',
					{ eventId },
				);
			}
			return {
				workflowData: [[{ json: decision.item as IDataObject }]],
				webhookResponse: { received: true, eventId, eventType: decision.event.type },
			};
		}
	}
}
