/**
 * Makes a refused or ignored delivery seen where the user looks (README, "Troubleshooting"):
 * - Test URL (the editor is listening): every one, as an error the editor shows on the trigger.
 * - Production URL: an authentic event refused, a broken credential, or a signature that matches
 *   no secret, as a failed execution of the trigger (so n8n's error workflow alerts) and a warn log
 *   line, at most once per trigger, reason and window (core/explain.ts, RefusalReports). The rest,
 *   and everything beyond the bound, is answered as before and logged at debug level only.
 *
 * The error is thrown from `webhook()`: n8n then answers 500 (with the error's message for a
 * WorkflowConfigurationError, else its generic "Workflow could not be started!"), records an
 * execution of the trigger that failed, and runs nothing after it. A 500 is still a refusal for
 * SIP Caller, which delivers the event again. Not thrown when the trigger's On Error setting
 * continues the workflow (n8n would run the next nodes with an empty item); a retry of such an
 * execution stops at the trigger (SipCallerTrigger.execute).
 */
import {
	NodeOperationError,
	WorkflowConfigurationError,
	type IWebhookFunctions,
} from 'n8n-workflow';

import type { Decision, DeliveryOptions } from '../core/delivery';
import {
	explainDecision,
	RefusalReports,
	reportCountNote,
	reportCountSummary,
	reportedInProduction,
	type Explanation,
} from '../core/explain';

const reports = new RefusalReports();

/** The error whose message n8n sends back to the caller as is (n8n 1.x has it too). */
const AnsweredError: typeof NodeOperationError =
	(WorkflowConfigurationError as typeof NodeOperationError | undefined) ?? NodeOperationError;

/**
 * The error n8n shows on the trigger (the editor's output panel, a failed execution). With
 * `answered`, n8n also sends its message to the caller; without, the caller gets n8n's generic
 * "Workflow could not be started!" and only the execution holds the reason.
 */
export function shownError(
	context: IWebhookFunctions,
	explanation: Explanation,
	answered = true,
): NodeOperationError {
	const ErrorClass = answered ? AnsweredError : NodeOperationError;
	return new ErrorClass(context.getNode(), explanation.message, {
		description: explanation.description,
		level: 'warning',
	});
}

/**
 * Whether the trigger's Settings > On Error lets the workflow go on after an error: then n8n would
 * run the next nodes with the empty item it puts in place of a failed trigger's, so a refusal must
 * not be thrown (it is logged instead).
 */
function continuesOnError(context: IWebhookFunctions): boolean {
	const node = context.getNode();
	return (
		node.continueOnFail === true ||
		node.onError === 'continueRegularOutput' ||
		node.onError === 'continueErrorOutput'
	);
}

/**
 * Refusals whose reason n8n may send back in production: the signature matched, so the caller is
 * SIP Caller. A signature that matches no secret, or a broken credential, may be anyone's request:
 * the reason (it names the credential) stays in the execution and the log.
 */
const ANSWERED_IN_PRODUCTION = new Set(['tooOld', 'tooNew', 'invalidJson', 'notAnEvent']);

export function isTesting(context: IWebhookFunctions): boolean {
	return context.getMode() === 'manual';
}

/**
 * Throws the error that shows this refusal or ignore, when it must be shown; returns otherwise
 * (the caller then answers SIP Caller itself).
 */
export function showIfSeen(
	context: IWebhookFunctions,
	decision: Decision,
	options: DeliveryOptions,
	now: number,
): void {
	if (decision.action === 'accept') return;
	const testing = isTesting(context);
	if (!testing && !reportedInProduction(decision)) return;
	const explanation = explainDecision(decision, {
		testing,
		options,
		now,
		credentialName: context.getNode().credentials?.sipCallerWebhookApi?.name,
	});
	if (!explanation) return;
	const workflowId = context.getWorkflow().id ?? '';
	const node = context.getNode();
	const meta = { workflowId, node: node.name, reason: decision.reason, status: decision.status };
	if (continuesOnError(context)) {
		if (testing || reports.admit(`${workflowId}|${node.id}|${decision.reason}`, now).report) {
			context.logger.warn(
				`SIP Caller Trigger "${node.name}": ${explanation.message} (not shown as an error: the trigger's On Error setting continues the workflow)`,
				meta,
			);
		}
		return;
	}
	if (testing) throw shownError(context, explanation);

	const verdict = reports.admit(`${workflowId}|${node.id}|${decision.reason}`, now);
	if (!verdict.report) {
		context.logger.debug(`SIP Caller Trigger refused a delivery: ${decision.message}`, meta);
		return;
	}
	const note = reportCountNote(verdict, reports.windowSeconds);
	context.logger.warn(`SIP Caller Trigger "${node.name}": ${explanation.message}. ${note}`, {
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
			message: `${explanation.message}${count}`,
			description: `${explanation.description} ${note}`,
		},
		ANSWERED_IN_PRODUCTION.has(decision.reason),
	);
}

/** A body n8n could not hand over as bytes, while testing: shown like any refusal. */
export function showUnreadableBody(context: IWebhookFunctions): void {
	if (!isTesting(context) || continuesOnError(context)) return;
	throw shownError(context, {
		message: 'Refused a request whose body could not be read: SIP Caller sends JSON',
		description:
			'The request to the Test URL was sent as a form (multipart/form-data), which n8n reads before the trigger can check its signature. SIP Caller always sends application/json; so does the sample sender. Nothing after the trigger ran.',
	});
}
