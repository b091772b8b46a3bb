/**
 * Where the trigger keeps its duplicate ledger (../core/dedup.ts): in this process's memory, one
 * ledger per workflow, trigger node and mode (test URL deliveries do not mark production ones).
 *
 * Why memory and not the workflow's static data: n8n loads static data with the workflow and
 * rewrites it whole after every request that changes it, so a record of ids costs a database write
 * per event that grows with every id remembered (measured on n8n 2.41.1: 57 → 12 req/s over 10,000
 * events, and lost executions once SQLite's single writer saturated). A webhook context offers no
 * other store (n8n's processed-data helpers exist only in execution contexts). Memory costs nothing
 * per event; what it cannot do (survive a restart, be shared by several webhook processes) only
 * ever leads to a second run, never to a lost event: SIP Caller resends exactly the deliveries it
 * got no 2xx for. docs/delivery.md ("When an event can run twice or be lost") says when a double can happen.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { DeliveryLedger, dedupWindowSeconds } from '../core/dedup';
import { withDefaults, type DeliveryOptions } from '../core/options';
import type { Outcome } from '../core/outcomes';

const ledgers = new Map<string, DeliveryLedger>();

/**
 * The ledger of this trigger, remembering done ids for as long as their events could still be
 * accepted (the trigger's age options), or undefined with Ignore Duplicate Deliveries off.
 */
export function ledgerOf(
	context: IWebhookFunctions,
	options: DeliveryOptions,
): DeliveryLedger | undefined {
	const { deduplicate, maxAgeSeconds, maxFutureSeconds } = withDefaults(options);
	if (!deduplicate) return undefined;
	const windowSeconds = dedupWindowSeconds(maxAgeSeconds, maxFutureSeconds);
	const key = `${context.getWorkflow().id ?? ''}|${context.getNode().id}|${context.getMode()}`;
	let ledger = ledgers.get(key);
	if (!ledger) {
		ledger = new DeliveryLedger(windowSeconds);
		ledgers.set(key, ledger);
	}
	ledger.windowSeconds = windowSeconds;
	return ledger;
}

/**
 * Step 5: an accepted event's id, claimed in the same synchronous step as the check (a concurrent
 * retry cannot slip in between) and settled by n8n's answer: 2xx marks it done, anything else (or
 * SIP Caller hanging up first) lets a retry run it.
 */
export function claimEvent(
	context: IWebhookFunctions,
	ledger: DeliveryLedger | undefined,
	outcome: Outcome,
	now: number,
): void {
	if (!ledger || outcome.action !== 'accept' || typeof outcome.event.id !== 'string') return;
	const eventId = outcome.event.id;
	const claim = ledger.claim(eventId, now);
	whenAnswered(
		context.getResponseObject(),
		(status) => ledger.settle(eventId, claim, status >= 200 && status < 300, Date.now()),
		() => ledger.release(eventId, claim),
	);
}

type Response = ReturnType<IWebhookFunctions['getResponseObject']>;

/**
 * Calls `answered(status)` when n8n ends this response, whatever answers it (our receipt, n8n's
 * 200 after the workflow, its 500 for a failed workflow or a failed start), and `hungUp()` when the
 * connection closes first (SIP Caller's timeout). The response's own `end` is wrapped rather than
 * listening for 'finish': when SIP Caller has hung up, n8n still ends the response once the workflow
 * is done, but 'finish' never fires.
 */
export function whenAnswered(
	response: Response,
	answered: (status: number) => void,
	hungUp: () => void,
): void {
	const end = response.end.bind(response) as (...args: unknown[]) => Response;
	let called = false;
	response.end = ((...args: unknown[]) => {
		if (!called) {
			called = true;
			answered(response.statusCode);
		}
		return end(...args);
	}) as Response['end'];
	response.once('close', () => {
		if (!called) hungUp();
	});
}
