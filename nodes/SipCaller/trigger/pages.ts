/**
 * The pages a person sees who opens the trigger's URL in a browser (SIP Caller only ever POSTs):
 * the Production URL says what it is for; the Test URL says what became of the sample it sent.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { eventLabel } from '../core/explain';
import type { Explanation } from '../core/outcomes';

type Response = ReturnType<IWebhookFunctions['getResponseObject']>;

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, paragraphs: string[]): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;line-height:1.5;color:#222}h1{font-size:1.3em}</style></head><body><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</body></html>`;
}

function sendPage(response: Response, status: number, html: string): void {
	response.status(status).type('text/html').setHeader('Cache-Control', 'no-store').send(html);
}

export function sendProductionPage(context: IWebhookFunctions): void {
	sendPage(
		context.getResponseObject(),
		200,
		page('This is the Production URL of an n8n SIP Caller Trigger', [
			'SIP Caller sends its signed events here. Opening this address in a browser starts nothing.',
			'To try the workflow with a sample event, open the workflow in n8n, open the SIP Caller Trigger, click the button that listens for a test event, and open the Test URL shown there in your browser.',
		]),
	);
}

/** What a sample proves, and what only a real event can. */
const WHAT_A_SAMPLE_PROVES =
	"A sample proves that the workflow runs on SIP Caller's events and that the credential holds a hexadecimal signing secret. It cannot prove that this is the secret your SIP Caller webhook signs with: only a real event from SIP Caller (or the sample sender with that secret) does. Do that before you publish.";

export function sendSamplePage(
	context: IWebhookFunctions,
	eventType: string,
	eventId: string,
): void {
	const label = eventLabel(eventType);
	sendPage(
		context.getResponseObject(),
		200,
		page(`A sample ${label} event was sent to the n8n editor`, [
			`Go back to n8n: the SIP Caller Trigger now shows SIP Caller's sample ${label} event (event ID ${eventId}), signed with the signing secret in the trigger's credential. If you clicked Execute step, only the trigger ran; if you clicked Execute workflow, the whole workflow ran on it as a test. It is a sample, not a real event, and only the Test URL accepts it.`,
			WHAT_A_SAMPLE_PROVES,
			'To get another sample, click Execute step on the trigger again, then reload this page. Add ?event=CampaignFinished (or another selected event type) to the Test URL for a sample of that type.',
		]),
	);
}

/**
 * The page for a sample the trigger refused: the reason and the fix, as the editor's title says
 * them. The details stay in the editor: whoever opens the Test URL sees the page, and for a
 * credential n8n cannot read the details hold n8n's own words about it.
 */
function refusedSamplePage(explanation: Explanation, ignored: boolean): string {
	return page(`The sample was ${ignored ? 'ignored' : 'refused'}: the workflow did not run`, [
		`${explanation.message}.`,
		'The SIP Caller Trigger in the n8n editor shows the same, with the details. Once it is fixed, click Execute step on the trigger again and reload this page.',
	]);
}

/** A refused sample, answered by the trigger itself (its On Error setting continues). */
export function sendRefusedSamplePage(
	context: IWebhookFunctions,
	status: number,
	explanation: Explanation,
	ignored: boolean,
): void {
	sendPage(context.getResponseObject(), status, refusedSamplePage(explanation, ignored));
}

/**
 * A refused sample that is thrown, so that the editor shows it: n8n then answers the browser with
 * its error JSON (`res.json`), which becomes this page instead, with n8n's status. If n8n answers
 * some other way, the browser gets n8n's own answer, which holds the same message.
 */
export function answerThrownSampleWithPage(
	context: IWebhookFunctions,
	explanation: Explanation,
	ignored: boolean,
): void {
	const response = context.getResponseObject();
	const json = response.json.bind(response);
	response.json = ((body: unknown) => {
		response.json = json;
		if (response.headersSent) return json(body);
		return response
			.type('text/html')
			.setHeader('Cache-Control', 'no-store')
			.send(refusedSamplePage(explanation, ignored));
	}) as Response['json'];
}
