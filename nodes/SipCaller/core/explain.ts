/**
 * What a refused or ignored delivery means to the person who set the trigger up, and what to do
 * about it: the words n8n shows (a failed execution, the editor while testing), in n8n's and SIP
 * Caller's vocabulary. The answer SIP Caller gets stays the short `Decision.message`; this is for
 * people, and never holds a secret or any of the event's customer data beyond its type, campaign,
 * ring result and outcome (what the filters compare).
 */
import { ALL_EVENTS, withDefaults, type Decision, type DeliveryOptions } from './delivery';

export interface Explanation {
	/** One sentence: what happened and the fix (n8n's error title; also the HTTP answer on this path). */
	message: string;
	/** The details under it: why, where to change what, what SIP Caller does next. */
	description: string;
}

export interface ExplainContext {
	/** True for a delivery to the Test URL (the editor is listening), false for the Production URL. */
	testing: boolean;
	options: DeliveryOptions;
	/** The name of the trigger's SIP Caller Webhook API credential, when n8n gives it. */
	credentialName?: string;
	/** The current time (epoch milliseconds). */
	now: number;
}

/** Refusals that reach a failed execution in production: an authentic event refused, or our side broken. */
const REPORTED_IN_PRODUCTION = new Set([
	'noMatch',
	'malformedSecret',
	'tooOld',
	'tooNew',
	'invalidJson',
	'notAnEvent',
]);

/**
 * Whether a production refusal is reported (a failed execution and a warn log, bounded). Not
 * reported: a missing or malformed signature header (bots and scanners: nothing SIP Caller sent),
 * a retry while the first delivery runs (409: SIP Caller retries and the event runs), and every
 * "ignored" (the user chose it). A signature that matches no secret is reported: it is also what a
 * secret regenerated in SIP Caller but not pasted into n8n looks like.
 */
export function reportedInProduction(decision: Decision): boolean {
	return decision.action === 'reject' && REPORTED_IN_PRODUCTION.has(decision.reason);
}

/**
 * "2 days 3 hours", "1 day 1 minute", "40 seconds": the two largest units that are not zero, so
 * that an age just over a limit never reads as the limit itself.
 */
export function humanDuration(seconds: number): string {
	const units: Array<[string, number]> = [
		['day', 86_400],
		['hour', 3_600],
		['minute', 60],
		['second', 1],
	];
	let rest = Math.round(Math.abs(seconds));
	const parts: string[] = [];
	for (const [name, size] of units) {
		const count = Math.floor(rest / size);
		rest -= count * size;
		if (count > 0 && parts.length < 2) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`);
	}
	return parts.length > 0 ? parts.join(' ') : '0 seconds';
}

/** A value and its limit in words; in seconds when the words would read the same. */
function distinct(value: number, limit: number): [string, string] {
	const [a, b] = [humanDuration(value), humanDuration(limit)];
	return a === b ? [`${value} seconds`, `${limit} seconds`] : [a, b];
}

/** SIP Caller's event type names as the Events list words them: CallEnded → Call Ended. */
export function eventLabel(type: string): string {
	return type === ALL_EVENTS ? 'All Events' : type.replace(/([a-z])([A-Z])/g, '$1 $2');
}

function list(values: readonly string[]): string {
	return values.length === 0 ? '(none)' : values.map((v) => `"${v}"`).join(', ');
}

function utc(seconds: number): string {
	return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * The explanation of a refused or ignored delivery (undefined for an accepted one). The Test and
 * Production URLs are named as the trigger panel names them.
 */
export function explainDecision(
	decision: Decision,
	context: ExplainContext,
): Explanation | undefined {
	if (decision.action === 'accept') return undefined;
	const options = withDefaults(context.options);
	const url = context.testing ? 'Test URL' : 'Production URL';
	const credential = context.credentialName
		? `the credential "${context.credentialName}"`
		: "the trigger's SIP Caller Webhook API credential";
	const nothingRan = context.testing
		? 'Nothing after the trigger ran.'
		: 'Nothing after the trigger ran; SIP Caller was answered with an error, so it delivers the event again later (a few times, then it gives up).';
	const publishAgain = context.testing ? '' : ' Then publish the workflow again.';

	if (decision.action === 'ignore') {
		const ignoredNote = context.testing
			? ' While testing, n8n answers such an event 500, so SIP Caller would deliver it again; once the workflow is published, it is answered 200 "ignored" and not sent again.'
			: '';
		switch (decision.reason) {
			case 'eventNotSelected': {
				const type = decision.eventType ?? '(no type)';
				return {
					message: `Ignored a ${eventLabel(type)} event: Events on this trigger does not include it. To run the workflow for it, add ${eventLabel(type)} to Events (or choose All Events)`,
					description: `SIP Caller sent a ${type} event; this trigger's Events are ${list(options.events.map(eventLabel))}. To run the workflow for it, add ${eventLabel(type)} to Events (or choose All Events). If this workflow should not get ${eventLabel(type)} events, clear that event in the SIP Caller webhook (Settings > Webhooks).${ignoredNote}`,
				};
			}
			case 'campaignNotSelected':
				return {
					message: `Ignored an event of campaign "${decision.value ?? '(unnamed)'}": it is not among the campaigns selected on this trigger. Add it to Options > Campaigns, or remove the campaign options to run for every campaign`,
					description: `This trigger runs only for the campaigns in Options > Campaign Names or IDs and Options > Campaigns (${list(options.campaigns)}). Add "${decision.value ?? ''}" there, or remove both options to run for every campaign.${ignoredNote}`,
				};
			case 'ringResultNotSelected':
				return {
					message: `Ignored a Call Ended event with ring result "${decision.value ?? '(none)'}": Ring Results on this trigger does not include it. Add it to Options > Ring Results (Other Values), or remove the ring result options to run for every call`,
					description: `This trigger runs only for calls whose ring result is one of ${list(options.ringResults)} (Options > Ring Results and Ring Results (Other Values)). Add "${decision.value ?? ''}" there, or remove both options to run for every call.${ignoredNote}`,
				};
			case 'outcomeNotSelected':
				return {
					message: `Ignored a Call Ended event with outcome "${decision.value ?? '(none)'}": Outcomes on this trigger does not include it. Add it to Options > Outcomes (Other Values), or remove the outcome options to run for every call`,
					description: `This trigger runs only for calls whose outcome is one of ${list(options.outcomes)} (Options > Outcomes and Outcomes (Other Values)). Add "${decision.value ?? ''}" there, or remove both options to run for every call.${ignoredNote}`,
				};
			case 'duplicate':
				return {
					message: `Ignored a repeat of event ${decision.eventId ?? ''}: this trigger already received it. Send a new event (the sample sender gives each send a new event ID unless --as-is is set)`,
					description: `SIP Caller delivers an event again when it got no 200 for it; this one had already been received, so it started nothing (Options > Ignore Duplicate Deliveries). To send a sample again as a new event, use a fresh one: the sample sender gives each send a new event ID unless --as-is is set.`,
				};
		}
	}

	switch (decision.reason) {
		case 'missingHeader':
			return {
				message: context.testing
					? 'Refused a request without a SIP Caller signature: only signed events from SIP Caller start this workflow. For a sample without SIP Caller, open the Test URL in a browser while the trigger listens'
					: 'Refused a request without a SIP Caller signature: only signed events from SIP Caller start this workflow',
				description: `The request to the ${url} has no Sip-Caller-Signature header, so it cannot come from SIP Caller (SIP Caller signs every event). ${context.testing ? 'To try the trigger without SIP Caller, open the Test URL in a browser while the trigger is listening: it sends a sample event. Or send a signed sample with the sample sender (README, "Test the trigger").' : 'Nothing ran.'}`,
			};
		case 'malformedHeader':
			return {
				message:
					'Refused a request whose Sip-Caller-Signature header is not in SIP Caller’s form (t=<Unix seconds>,v1=<64 hexadecimal digits>): it was not sent by SIP Caller, or a proxy changed it',
				description: `SIP Caller writes the header as t=<Unix seconds>,v1=<64 hexadecimal digits>. Whatever sent this request is not SIP Caller, or changed the header on the way (a proxy). ${nothingRan}`,
			};
		case 'noMatch':
			return {
				message: `Refused an event whose signature does not match the signing secret in ${credential}. Paste into that credential the signing secret of the SIP Caller webhook whose URL is this ${url} (SIP Caller > Settings > Webhooks)`,
				description: `Each SIP Caller webhook has its own signing secret: this ${url} must be the URL of the SIP Caller webhook whose signing secret is in ${credential}. In SIP Caller, open Settings > Webhooks, find the webhook whose URL is this ${url}, copy its signing secret and paste it into Signing Secret of that credential (if you regenerated the secret in SIP Caller, paste the new one, and the old one into Previous Signing Secret for a day). If the secret is right, something between SIP Caller and n8n changed the body. ${nothingRan}`,
			};
		case 'malformedSecret':
			return {
				message: `The signing secret in ${credential} is not a SIP Caller signing secret: paste it again from SIP Caller > Settings > Webhooks (hexadecimal digits 0-9 and a-f, 64 of them, not a word or a phrase)`,
				description: `A SIP Caller signing secret is a string of hexadecimal digits (0-9 and a-f; SIP Caller shows 64 of them), not a word or a phrase. Open ${credential}, paste the webhook's signing secret into Signing Secret (and clear Previous Signing Secret unless you are rotating), and save. No event can be checked until then. ${nothingRan}`,
			};
		case 'tooOld': {
			// Rounded up: an age just over the limit never reads as the limit itself.
			const age =
				decision.signedAt !== undefined ? Math.ceil(context.now / 1000 - decision.signedAt) : 0;
			const [ageText, limitText] = distinct(age, options.maxAgeSeconds);
			const when = decision.signedAt !== undefined ? ` (signed ${utc(decision.signedAt)})` : '';
			return {
				message: `Refused an authentic event that is ${ageText} old, more than this trigger's Maximum Event Age (${limitText}). To accept such events, raise Options > Maximum Event Age (Seconds) on the trigger (0 = no limit)${publishAgain ? ' and publish again' : ''}; if the event is not that old, set the n8n server's clock right`,
				description: `SIP Caller signed this event ${humanDuration(age)} ago${when}. Events arrive late when SIP Caller retries a failed delivery or when the webhook was disabled in SIP Caller for a while: they keep the time they were generated. To accept such events, raise Options > Maximum Event Age (Seconds) on the trigger (0 = no limit) so it covers the longest time the webhook may be disabled.${publishAgain} If the event cannot be that old, the n8n server's clock is ahead: set it right (NTP). ${nothingRan}`,
			};
		}
		case 'tooNew': {
			const ahead =
				decision.signedAt !== undefined ? Math.ceil(decision.signedAt - context.now / 1000) : 0;
			const [aheadText, toleranceText] = distinct(ahead, options.maxFutureSeconds);
			return {
				message: `Refused an authentic event signed ${aheadText} in the future: the n8n server's clock is behind SIP Caller's. Set the server's clock right (NTP), or raise Options > Clock Skew Tolerance (Seconds) on the trigger`,
				description: `The event's signature time is ${humanDuration(ahead)} ahead of this n8n server's clock, more than Options > Clock Skew Tolerance (Seconds) allows (${toleranceText}). Set the server's clock right (NTP), or raise that option.${publishAgain} ${nothingRan}`,
			};
		}
		case 'invalidJson':
		case 'notAnEvent':
			return {
				message:
					'Refused a signed request whose body is not a SIP Caller event (a JSON object): SIP Caller always sends one, so check what sent this request',
				description: `The signature matched, so it was signed with this webhook's secret, but the body is ${decision.reason === 'invalidJson' ? 'not JSON' : 'JSON that is not an object'}. SIP Caller always sends a JSON object; check what sent it (a test tool sending its own file, a proxy that changed the body). ${nothingRan}`,
			};
		case 'inProgress':
			return {
				message:
					'An earlier delivery of this event is still running: it was answered 409, and SIP Caller delivers it again later (nothing to fix)',
				description:
					'The event was received a moment ago and its workflow has not answered yet. It was answered 409, so SIP Caller delivers it again later; by then the first run has finished and the repeat is answered "duplicate", or it runs if the first run failed.',
			};
		case 'notRawBody':
			return {
				message: 'The request body could not be read as bytes, so its signature cannot be checked',
				description: `SIP Caller sends JSON. This happens when something in front of n8n sends another kind of body. ${nothingRan}`,
			};
	}
}

/** How often a refusal of one kind is reported per trigger: at most once per window. */
export const REPORT_WINDOW_SECONDS = 5 * 60;

export interface ReportVerdict {
	/** True: report this refusal now (a failed execution and a warn log line). */
	report: boolean;
	/** With report: how many refusals of this kind were not reported since the last report. */
	unreported: number;
	/** With report: when that last report was (epoch milliseconds), if there was one. */
	lastReportedAt?: number;
}

/**
 * The bound on reports: one per key (trigger and reason) per window, counting the rest so that the
 * next report says how many it stands for. Whoever floods the URL (an attacker can always send
 * forged requests) costs n8n at most one failed execution per trigger, reason and window.
 * Memory is bounded too: at most `maxKeys` keys, the oldest dropped first.
 */
export class RefusalReports {
	private readonly entries = new Map<string, { reportedAt: number; unreported: number }>();

	constructor(
		readonly windowSeconds = REPORT_WINDOW_SECONDS,
		private readonly maxKeys = 1_000,
	) {}

	/** Whether to report a refusal of this key now; counts it either way. */
	admit(key: string, now: number): ReportVerdict {
		const entry = this.entries.get(key);
		const windowMs = this.windowSeconds * 1000;
		// A clock stepped back counts as a new window too: never silent for longer than promised.
		if (entry && now >= entry.reportedAt && now - entry.reportedAt < windowMs) {
			entry.unreported++;
			return { report: false, unreported: entry.unreported };
		}
		const verdict: ReportVerdict = { report: true, unreported: entry?.unreported ?? 0 };
		if (entry) verdict.lastReportedAt = entry.reportedAt;
		this.entries.delete(key);
		this.entries.set(key, { reportedAt: now, unreported: 0 });
		if (this.entries.size > this.maxKeys) {
			this.entries.delete(this.entries.keys().next().value as string);
		}
		return verdict;
	}
}

/** The sentence a report adds about the refusals it stands for. */
export function reportCountNote(verdict: ReportVerdict, windowSeconds: number): string {
	const next = `Further refusals of this kind are answered but not recorded as executions for the next ${humanDuration(windowSeconds)}; the next report counts them.`;
	if (verdict.unreported === 0) return next;
	const since =
		verdict.lastReportedAt !== undefined
			? ` since ${new Date(verdict.lastReportedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`
			: '';
	return `This report also stands for ${verdict.unreported} more refusal${verdict.unreported === 1 ? '' : 's'} of this kind${since} that were answered without an execution of their own. ${next}`;
}

/** The count in a few words, for the error's message: "and 37 more like it since 2026-12-02 10:04:00 UTC, …". */
export function reportCountSummary(verdict: ReportVerdict, windowSeconds: number): string {
	const since =
		verdict.lastReportedAt !== undefined
			? ` since ${new Date(verdict.lastReportedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC`
			: '';
	return `and ${verdict.unreported} more like it${since}, answered without an execution of their own: one report per ${humanDuration(windowSeconds)}`;
}
