/**
 * The last step of a delivery: answer SIP Caller (or the browser), and make every refusal seen
 * where the user looks (README, "Troubleshooting"), as the outcome table says:
 * - Test URL (the editor is listening): every one, as an error the editor shows on the trigger.
 * - Production URL: the rows whose audience is `report` or `reportWithReason`, as a failed
 *   execution of the trigger (so n8n's error workflow alerts) and a warn log line, at most once per
 *   trigger, reason and window (core/explain.ts, RefusalReports). The rest, and everything beyond
 *   the bound, is answered and logged at debug level only.
 *
 * Shown means thrown from `webhook()`: n8n then answers 500 (with the error's message for a
 * WorkflowConfigurationError, else its generic "Workflow Webhook Error: Workflow could not be started!"), records an
 * execution of the trigger that failed, and runs nothing after it; it also logs the error twice
 * itself (its ErrorReporter, and "Error in handling webhook request"). A 500 is still a refusal for
 * SIP Caller, which delivers the event again. Never thrown when the trigger's On Error setting
 * continues the workflow (n8n would run the next nodes with an empty item): then logged at warn
 * level, bounded the same way, and answered as the table says; a retry of a reported execution
 * stops at the trigger (SipCallerTrigger.execute).
 */
import {
	NodeOperationError,
	WorkflowConfigurationError,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	RefusalReports,
	reportCountNote,
	reportCountSummary,
	type ReportVerdict,
} from '../core/explain';
import type { DeliveryOptions } from '../core/options';
import { explainOutcome, OUTCOMES, type Explanation, type Outcome } from '../core/outcomes';
import type { RespondMode } from './options';
import type { Arrival } from './request';
import {
	answerThrownSampleWithPage,
	sendProductionPage,
	sendRefusedSamplePage,
	sendSamplePage,
} from './pages';

const reports = new RefusalReports();

/** The error whose message n8n sends back to the caller as is (n8n 1.x has it too). */
const AnsweredError: typeof NodeOperationError =
	(WorkflowConfigurationError as typeof NodeOperationError | undefined) ?? NodeOperationError;

export function isTesting(context: IWebhookFunctions): boolean {
	return context.getMode() === 'manual';
}

/**
 * The error n8n shows on the trigger (the editor's output panel, a failed execution). With
 * `answered`, n8n also sends its message to the caller; without, the caller gets n8n's generic
 * "Workflow Webhook Error: Workflow could not be started!" and only the execution holds the reason.
 */
function shownError(
	context: IWebhookFunctions,
	explanation: Explanation,
	answered: boolean,
): NodeOperationError {
	const ErrorClass = answered ? AnsweredError : NodeOperationError;
	return new ErrorClass(context.getNode(), explanation.message, {
		description: explanation.description,
		level: 'warning',
	});
}

/** Whether the trigger's Settings > On Error lets the workflow go on after an error. */
function continuesOnError(context: IWebhookFunctions): boolean {
	const node = context.getNode();
	return (
		node.continueOnFail === true ||
		node.onError === 'continueRegularOutput' ||
		node.onError === 'continueErrorOutput'
	);
}

/** What the answer needs besides the outcome. */
export interface Answering {
	/** What arrived: a browser (a sample, or a refused request for one) is answered with a page. */
	arrival: Arrival;
	/** The trigger's options; not read yet for a request refused before the signature check. */
	options?: DeliveryOptions;
	respond?: RespondMode;
	/** When the delivery was decided (epoch ms). */
	now?: number;
	/**
	 * A refusal a fresh credential read might have cured, decided on remembered secrets because
	 * the bound on fresh reads said no: answered, never reported (no false alarm right after a
	 * secret was changed; a forgery flood is reported by the request that did the fresh read).
	 */
	unconfirmed?: boolean;
}

function fromBrowser(arrival: Arrival): boolean {
	return arrival.kind === 'sample' || (arrival.kind === 'refused' && arrival.fromBrowser);
}

/** Step 6: answer, show or report. */
export function answer(
	context: IWebhookFunctions,
	outcome: Outcome,
	how: Answering,
): IWebhookResponseData {
	if (outcome.action === 'accept') return accept(context, outcome, how);
	// Worked out only when someone will read it: a flood answered quietly costs no words.
	let words: Explanation | undefined;
	const explanation = () =>
		(words ??= explainOutcome(outcome, {
			testing: isTesting(context),
			options: how.options ?? { events: [] },
			now: how.now ?? Date.now(),
			credentialName: context.getNode().credentials?.sipCallerWebhookApi?.name,
		}) as Explanation);
	showOrReport(context, outcome, explanation, how);
	const response = context.getResponseObject();
	if (fromBrowser(how.arrival))
		sendRefusedSamplePage(context, outcome.status, explanation(), outcome.action === 'ignore');
	else if (outcome.action === 'ignore') {
		response.status(outcome.status).json({
			received: true,
			ignored: true,
			reason: outcome.reason,
			message: outcome.message,
			eventId: outcome.eventId,
		});
	} else {
		response.status(outcome.status).type('text/plain').send(outcome.message);
	}
	return { noWebhookResponse: true };
}

/** A GET on the Production URL: a page, nothing starts. */
export function answerProductionPage(context: IWebhookFunctions): IWebhookResponseData {
	sendProductionPage(context);
	return { noWebhookResponse: true };
}

/**
 * Throws the error that shows a refusal or ignore, when the table and the bound say it must be
 * shown; returns otherwise (the caller then answers itself).
 */
function showOrReport(
	context: IWebhookFunctions,
	outcome: Exclude<Outcome, { action: 'accept' }>,
	explanation: () => Explanation,
	how: Answering,
): void {
	const testing = isTesting(context);
	const row = OUTCOMES[outcome.reason];
	const node = context.getNode();
	const workflowId = context.getWorkflow().id ?? '';
	const meta = { workflowId, node: node.name, reason: outcome.reason, status: outcome.status };
	// In production an ignored event is the user's choice: nothing to log. A refusal: debug.
	const quiet = () => {
		if (outcome.action === 'reject')
			context.logger.debug(`SIP Caller Trigger refused a delivery: ${outcome.message}`, meta);
	};
	if (!testing && row.production === 'debug') return quiet();
	// Bounded in production: one report per trigger, reason and window; an unconfirmed refusal is
	// counted for the next report but never makes one. Admitted at the time of asking, not of
	// arrival: requests that waited on one credential read finish in any order, and an earlier
	// arrival time would look like a clock stepped back (a new window).
	let verdict: ReportVerdict | undefined;
	if (!testing) {
		const key = `${workflowId}|${node.id}|${outcome.reason}`;
		verdict = reports.admit(key, Date.now(), !how.unconfirmed);
		if (!verdict.report) return quiet();
	}
	if (continuesOnError(context)) {
		context.logger.warn(
			`SIP Caller Trigger "${node.name}": ${explanation().message} (not shown as an error: the trigger's On Error setting continues the workflow)`,
			meta,
		);
		return;
	}
	if (!verdict) {
		if (fromBrowser(how.arrival))
			answerThrownSampleWithPage(context, explanation(), outcome.action === 'ignore');
		throw shownError(context, explanation(), true);
	}
	const note = reportCountNote(verdict, reports.windowSeconds);
	context.logger.warn(`SIP Caller Trigger "${node.name}": ${explanation().message}. ${note}`, {
		...meta,
		unreported: verdict.unreported,
	});
	// The count goes into the message too: a saved execution keeps an error's message, not its
	// description.
	const count =
		verdict.unreported > 0 ? ` (${reportCountSummary(verdict, reports.windowSeconds)})` : '';
	throw shownError(
		context,
		{
			message: `${explanation().message}${count}`,
			description: `${explanation().description} ${note}`,
		},
		row.production === 'reportWithReason',
	);
}

/**
 * An accepted event starts the workflow with one item. With Respond Immediately n8n answers with
 * our receipt once it has created the execution (n8n 2.x; 1.x answers just before), so a failed
 * start is a 500 that SIP Caller retries, not a 200 for an event that never ran; with Respond After
 * the Workflow, 200 (no body) once the workflow has finished, or 500 when it failed. A sample
 * answers the browser with a page.
 */
function accept(
	context: IWebhookFunctions,
	decision: Extract<Outcome, { action: 'accept' }>,
	how: Answering,
): IWebhookResponseData {
	const eventId = typeof decision.event.id === 'string' ? decision.event.id : undefined;
	const workflowData = [[{ json: decision.item as IDataObject }]];
	if (how.arrival.kind === 'sample') {
		sendSamplePage(context, how.arrival.eventType, how.arrival.eventId);
		return { noWebhookResponse: true, workflowData };
	}
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
	if (how.respond === 'afterWorkflow') return { workflowData };
	return {
		workflowData,
		webhookResponse: { received: true, eventId, eventType: decision.event.type },
	};
}
