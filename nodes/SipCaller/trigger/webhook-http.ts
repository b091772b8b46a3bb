/**
 * The trigger's HTTP side: the request body as bytes in, n8n's answer to SIP Caller out. (Not the
 * REST API transport: that is ../transport.)
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { Decision } from '../core/delivery';
import type { RespondMode } from './options';

type Request = ReturnType<IWebhookFunctions['getRequestObject']>;

/**
 * The request body exactly as received, or undefined when n8n cannot give it. n8n 2.x keeps it in
 * `req.rawBody` when it parsed the body for the node; otherwise `req.readRawBody()` (added by n8n)
 * reads it. A multipart body has already been consumed by n8n's form parser and cannot be read
 * again. The signature is computed over these bytes, never over a body n8n parsed and we would
 * re-serialize.
 */
export async function readRawBody(request: Request): Promise<Buffer | undefined> {
	try {
		if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') {
			await request.readRawBody();
		}
	} catch {
		return undefined;
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/** Answer for a body n8n could not hand over as bytes: nothing can be verified, nothing runs. */
export function refuseUnreadableBody(context: IWebhookFunctions): IWebhookResponseData {
	context
		.getResponseObject()
		.status(400)
		.type('text/plain')
		.send(
			'request body could not be read (SIP Caller sends JSON; multipart bodies are not supported)',
		);
	return { noWebhookResponse: true };
}

/**
 * Turns the core's decision into n8n's answer. Rejected and ignored deliveries are answered here
 * and start no execution (`noWebhookResponse` without `workflowData`); the ones to be seen were
 * already thrown, bounded, by report.ts, so these log at debug level only. Accepted events start the workflow with one item and
 * n8n answers: with Respond Immediately, with our receipt once it has created the execution (n8n
 * 2.x; 1.x answers just before), so a failed start is a 500 that SIP Caller retries, not a 200 for
 * an event that never ran; with Respond After the Workflow, 200 (no body) once the workflow has
 * finished, or 500 when it failed.
 */
export function respond(
	context: IWebhookFunctions,
	decision: Decision,
	respondMode: RespondMode,
): IWebhookResponseData {
	const response = context.getResponseObject();
	switch (decision.action) {
		case 'reject':
			context.logger.debug(`SIP Caller Trigger refused a delivery: ${decision.message}`);
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
			const workflowData = [[{ json: decision.item as IDataObject }]];
			if (respondMode === 'afterWorkflow') return { workflowData };
			return {
				workflowData,
				webhookResponse: { received: true, eventId, eventType: decision.event.type },
			};
		}
	}
}
