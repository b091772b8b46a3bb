/**
 * The trigger's URL opened in a browser (GET). SIP Caller only ever POSTs, so a GET is a person:
 * - Test URL, while the editor listens: a sample event of a selected type starts the test run, and
 *   the page says so. This is how a user with no SIP Caller event at hand and no terminal tries the
 *   workflow. A sample is SIP Caller's documented one, fixed content: whoever opens the Test URL
 *   can start at most that, and only while someone listens in the editor.
 * - Production URL: a short page saying what the URL is for. Nothing starts.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { DeliveryOptions } from '../core/delivery';
import { eventLabel } from '../core/explain';
import { sampleEvent, sampleTypeFor } from '../core/samples';
import { toSimplifiedRow } from '../core/simplified-row';
import { isTesting, shownError } from './report';

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, paragraphs: string[]): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;line-height:1.5;color:#222}h1{font-size:1.3em}</style></head><body><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</body></html>`;
}

function sendPage(context: IWebhookFunctions, status: number, html: string): void {
	context
		.getResponseObject()
		.status(status)
		.type('text/html')
		.setHeader('Cache-Control', 'no-store')
		.send(html);
}

export function answerBrowser(
	context: IWebhookFunctions,
	options: DeliveryOptions,
	now: number,
): IWebhookResponseData {
	if (!isTesting(context)) {
		sendPage(
			context,
			200,
			page('This is the Production URL of an n8n SIP Caller Trigger', [
				'SIP Caller sends its signed events here. Opening this address in a browser starts nothing.',
				'To try the workflow with a sample event, open the workflow in n8n, open the SIP Caller Trigger, click the button that listens for a test event, and open the Test URL shown there in your browser.',
			]),
		);
		return { noWebhookResponse: true };
	}

	const query = context.getQueryData() as IDataObject;
	const requested = typeof query.event === 'string' ? query.event : undefined;
	const type = sampleTypeFor(options.events, requested);
	if (!type) {
		// Only event types this package has no sample of: say so in the editor.
		throw shownError(context, {
			message: 'No sample for the event types selected on this trigger',
			description:
				'Samples exist for Call Ended and the five campaign events. Select one of them in Events to get a sample from the Test URL, or send a real event from SIP Caller.',
		});
	}
	const event = sampleEvent(type, options, now);
	const item = options.output === 'simplified' ? toSimplifiedRow(event) : event;
	sendPage(
		context,
		200,
		page(`A sample ${eventLabel(type)} event was sent to the n8n editor`, [
			`Go back to n8n: the SIP Caller Trigger now shows SIP Caller's sample ${eventLabel(type)} event (event ID ${String(event.id)}) and the workflow ran on it as a test. It is a sample, not a real event, and only the Test URL accepts it.`,
			'To get another sample, click Execute step on the trigger again, then reload this page. Add ?event=CampaignFinished (or another selected event type) to the Test URL for a sample of that type.',
		]),
	);
	return { noWebhookResponse: true, workflowData: [[{ json: item as IDataObject }]] };
}
