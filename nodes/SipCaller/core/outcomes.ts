/**
 * Every way a delivery can end other than "accepted", as one typed table: the HTTP status, who
 * hears of it, whether a fresh read of the credential may cure it, the one-line answer SIP Caller
 * gets, and the words n8n shows a person (what happened, and the fix).
 *
 * The table is a Record over the reason union: a reason without a row does not compile, and
 * nothing else in the package decides per reason (the decision, the reports, the secrets' memory
 * and the browser sample all read it). A new reason is a new row.
 *
 * The words are for people, in n8n's and SIP Caller's vocabulary, and never hold a secret or any of
 * the event's customer data beyond its type, campaign, ring result and outcome (what the filters
 * compare).
 */
import type { Decision } from './delivery';
import { eventLabel, humanDuration } from './explain';
import { withDefaults, type DeliveryOptions } from './options';
import { describeSignatureFailure, type SignatureFailureReason } from './signature';

/** Why a delivery is refused: not answered 2xx, so SIP Caller delivers it again later. */
export type RejectReason = SignatureFailureReason | 'invalidJson' | 'notAnEvent' | 'inProgress';

/** Why a correctly signed event starts no execution (answered 200: nothing for SIP Caller to retry). */
export type IgnoreReason =
	| 'eventNotSelected'
	| 'campaignNotSelected'
	| 'ringResultNotSelected'
	| 'outcomeNotSelected'
	| 'duplicate';

/**
 * Refusals only the n8n trigger meets, before the core's `decide` could run: a body n8n already
 * consumed, a credential n8n cannot read, a browser asking for a sample of no documented type.
 */
export type TriggerReason = 'unreadableBody' | 'credentialUnreadable' | 'noSample';

export type Reason = RejectReason | IgnoreReason | TriggerReason;

/** A refusal the trigger makes before the core decides (see TriggerReason). */
export interface TriggerRefusal {
	action: 'reject';
	status: RefuseStatus;
	reason: TriggerReason;
	message: string;
	/** credentialUnreadable: n8n's own words for why it could not read the credential. */
	cause?: string;
}

/** A delivery's end, decided by the core or refused by the trigger before it. */
export type Outcome = Decision | TriggerRefusal;

export type RefuseStatus = 400 | 401 | 409 | 500;

/**
 * Who hears of an outcome in production (while testing, the editor shows every one):
 * - `report`: a failed execution of the trigger and a warn log line, at most once per trigger,
 *   reason and window; the caller gets n8n's generic 500, since the request may be anyone's and
 *   the reason names the user's credential;
 * - `reportWithReason`: the same, and the 500 carries the reason, because the signature matched
 *   (the caller is SIP Caller);
 * - `debug`: a debug log line only (bots and scanners, a retry while the first delivery runs, an
 *   event the user chose not to run).
 */
export type Audience = 'report' | 'reportWithReason' | 'debug';

/** What the words of a row may use: the outcome's own facts (never customer data). */
export interface Facts {
	eventId?: string;
	eventType?: string;
	/** What a filter looked at (campaign name, ring result, outcome). */
	value?: string;
	/** tooOld and tooNew: when SIP Caller signed the event (Unix seconds). */
	signedAt?: number;
	/** credentialUnreadable: n8n's words. */
	cause?: string;
}

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

export interface OutcomeRow<S extends number> {
	status: S;
	production: Audience;
	/** A newer credential could turn it into an acceptance: read the credential again (bounded). */
	freshReadMayCure: boolean;
	/** The one short line SIP Caller gets (its webhook log shows it). */
	answer(facts: Facts): string;
	/** What n8n shows: the reason and the fix. */
	explain(facts: Facts, words: Words): Explanation;
}

/** ExplainContext, with what every row's words need worked out once. */
interface Words {
	testing: boolean;
	options: Required<DeliveryOptions>;
	now: number;
	/** The Test URL or the Production URL, as the trigger panel names them. */
	url: string;
	/** `the credential "…"`, or the credential's type when n8n gives no name. */
	credential: string;
	/** The last sentence of a refusal: nothing ran, and what SIP Caller does next. */
	nothingRan: string;
	/** In production, a change to the trigger needs the workflow published again. */
	publishAgain: string;
	/** While testing an ignored event is answered 500 by n8n: what that means. */
	ignoredNote: string;
}

// ---- the words' small helpers ----

function list(values: readonly string[]): string {
	return values.length === 0 ? '(none)' : values.map((v) => `"${v}"`).join(', ');
}

function utc(seconds: number): string {
	return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A value and its limit in words; in seconds when the words would read the same. */
function distinct(value: number, limit: number): [string, string] {
	const [a, b] = [humanDuration(value), humanDuration(limit)];
	return a === b ? [`${value} seconds`, `${limit} seconds`] : [a, b];
}

const signatureAnswer = (reason: SignatureFailureReason) => (): string =>
	describeSignatureFailure(reason);

/** n8n's setting that lets credential expressions read environment variables (2.x blocks it). */
export const ENV_ACCESS_SETTING = 'N8N_BLOCK_ENV_ACCESS_IN_NODE';

/** Whether n8n refused the credential because an expression in it reads `$env`. */
function envAccessDenied(cause: string | undefined): boolean {
	return cause !== undefined && /env(ironment)? var/i.test(cause);
}

const IGNORED = { status: 200, production: 'debug', freshReadMayCure: false } as const;

/** The table. Reject and trigger rows are refusals (not 2xx); ignore rows are answered 200. */
export const OUTCOMES: { [R in RejectReason | TriggerReason]: OutcomeRow<RefuseStatus> } & {
	[R in IgnoreReason]: OutcomeRow<200>;
} = {
	missingHeader: {
		status: 401,
		production: 'debug',
		freshReadMayCure: false,
		answer: signatureAnswer('missingHeader'),
		explain: (_f, w) => ({
			message: w.testing
				? 'Refused a request without a SIP Caller signature: only signed events from SIP Caller start this workflow. For a sample without SIP Caller, open the Test URL in a browser while the trigger listens'
				: 'Refused a request without a SIP Caller signature: only signed events from SIP Caller start this workflow',
			description: `The request to the ${w.url} has no Sip-Caller-Signature header, so it cannot come from SIP Caller (SIP Caller signs every event). ${w.testing ? 'To try the trigger without SIP Caller, open the Test URL in a browser while the trigger is listening: it sends a sample event. Or send a signed sample with the sample sender (README, "Test the trigger").' : 'Nothing ran.'}`,
		}),
	},
	malformedHeader: {
		status: 401,
		production: 'debug',
		freshReadMayCure: false,
		answer: signatureAnswer('malformedHeader'),
		explain: (_f, w) => ({
			message:
				'Refused a request whose Sip-Caller-Signature header is not in SIP Caller’s form (t=<Unix seconds>,v1=<64 hexadecimal digits>): it was not sent by SIP Caller, or a proxy changed it',
			description: `SIP Caller writes the header as t=<Unix seconds>,v1=<64 hexadecimal digits>. Whatever sent this request is not SIP Caller, or changed the header on the way (a proxy). ${w.nothingRan}`,
		}),
	},
	noMatch: {
		status: 401,
		// Also what a secret regenerated in SIP Caller but not pasted into n8n looks like.
		production: 'report',
		freshReadMayCure: true,
		answer: signatureAnswer('noMatch'),
		explain: (_f, w) => ({
			message: `Refused an event whose signature does not match the signing secret in ${w.credential}. Paste into that credential the signing secret of the SIP Caller webhook whose URL is this ${w.url} (SIP Caller > Settings > Webhooks)`,
			description: `Each SIP Caller webhook has its own signing secret: this ${w.url} must be the URL of the SIP Caller webhook whose signing secret is in ${w.credential}. In SIP Caller, open Settings > Webhooks, find the webhook whose URL is this ${w.url}, copy its signing secret and paste it into Signing Secret of that credential (if you regenerated the secret in SIP Caller, paste the new one, and the old one into Previous Signing Secret for a day). If the secret is right, something between SIP Caller and n8n changed the body. ${w.nothingRan}`,
		}),
	},
	malformedSecret: {
		// Our side is broken, not the request: 500, and SIP Caller retries until it is fixed.
		status: 500,
		production: 'report',
		freshReadMayCure: true,
		answer: signatureAnswer('malformedSecret'),
		explain: (_f, w) => ({
			message: `The signing secret in ${w.credential} is not a SIP Caller signing secret: paste it again from SIP Caller > Settings > Webhooks (hexadecimal digits 0-9 and a-f, 64 of them, not a word or a phrase)`,
			description: `A SIP Caller signing secret is a string of hexadecimal digits (0-9 and a-f; SIP Caller shows 64 of them), not a word or a phrase. Open ${w.credential}, paste the webhook's signing secret into Signing Secret (and clear Previous Signing Secret unless you are rotating), and save. No event can be checked until then. ${w.nothingRan}`,
		}),
	},
	credentialUnreadable: {
		// Our side again: 500, retried by SIP Caller, so nothing is lost once it is fixed.
		status: 500,
		production: 'report',
		freshReadMayCure: true,
		answer: () =>
			"n8n could not read this trigger's signing secret credential; fix the credential in n8n",
		explain: (f, w) => {
			const why = f.cause ? ` n8n says: "${f.cause}".` : '';
			const fix = envAccessDenied(f.cause)
				? `Paste the webhook's signing secret itself into Signing Secret of ${w.credential} instead of an expression that reads an environment variable; or, if the n8n administrator wants credentials to read environment variables, set ${ENV_ACCESS_SETTING}=false in n8n's environment and restart n8n.`
				: `Open the SIP Caller Trigger, select a SIP Caller Webhook API credential under Credential to connect with (create one if it was deleted) and paste the webhook's signing secret into Signing Secret as text, not an expression.${w.publishAgain}`;
			return {
				message: `n8n could not read ${w.credential}, so no event can be checked: ${envAccessDenied(f.cause) ? `an expression in it reads an environment variable, which this n8n does not allow (${ENV_ACCESS_SETTING})` : 'it was deleted, or n8n refused what it holds'}. Select a working credential on the trigger, with the signing secret pasted as text`,
				description: `The trigger reads the signing secret from its SIP Caller Webhook API credential when a signed request arrives, and n8n could not give it.${why} ${fix} ${w.nothingRan}`,
			};
		},
	},
	notRawBody: {
		// Only a library user can meet it (the trigger always has the bytes): their code is wrong.
		status: 500,
		production: 'report',
		freshReadMayCure: false,
		answer: signatureAnswer('notRawBody'),
		explain: (_f, w) => ({
			message: 'The request body could not be read as bytes, so its signature cannot be checked',
			description: `SIP Caller sends JSON. This happens when something in front of n8n sends another kind of body. ${w.nothingRan}`,
		}),
	},
	tooOld: {
		status: 401,
		production: 'reportWithReason',
		freshReadMayCure: false,
		answer: signatureAnswer('tooOld'),
		explain: (f, w) => {
			// Rounded up: an age just over the limit never reads as the limit itself.
			const age = f.signedAt !== undefined ? Math.ceil(w.now / 1000 - f.signedAt) : 0;
			const [ageText, limitText] = distinct(age, w.options.maxAgeSeconds);
			const when = f.signedAt !== undefined ? ` (signed ${utc(f.signedAt)})` : '';
			return {
				message: `Refused an authentic event that is ${ageText} old, more than this trigger's Maximum Event Age (${limitText}). To accept such events, raise Options > Maximum Event Age (Seconds) on the trigger (0 = no limit)${w.publishAgain ? ' and publish again' : ''}; if the event is not that old, set the n8n server's clock right`,
				description: `SIP Caller signed this event ${humanDuration(age)} ago${when}. Events arrive late when SIP Caller retries a failed delivery or when the webhook was disabled in SIP Caller for a while: they keep the time they were generated. To accept such events, raise Options > Maximum Event Age (Seconds) on the trigger (0 = no limit) so it covers the longest time the webhook may be disabled.${w.publishAgain} If the event cannot be that old, the n8n server's clock is ahead: set it right (NTP). ${w.nothingRan}`,
			};
		},
	},
	tooNew: {
		status: 401,
		production: 'reportWithReason',
		freshReadMayCure: false,
		answer: signatureAnswer('tooNew'),
		explain: (f, w) => {
			const ahead = f.signedAt !== undefined ? Math.ceil(f.signedAt - w.now / 1000) : 0;
			const [aheadText, toleranceText] = distinct(ahead, w.options.maxFutureSeconds);
			return {
				message: `Refused an authentic event signed ${aheadText} in the future: the n8n server's clock is behind SIP Caller's. Set the server's clock right (NTP), or raise Options > Clock Skew Tolerance (Seconds) on the trigger`,
				description: `The event's signature time is ${humanDuration(ahead)} ahead of this n8n server's clock, more than Options > Clock Skew Tolerance (Seconds) allows (${toleranceText}). Set the server's clock right (NTP), or raise that option.${w.publishAgain} ${w.nothingRan}`,
			};
		},
	},
	invalidJson: {
		status: 400,
		production: 'reportWithReason',
		freshReadMayCure: false,
		answer: () => 'body is not valid JSON',
		explain: (_f, w) => notAnEventWords('not JSON', w),
	},
	notAnEvent: {
		status: 400,
		production: 'reportWithReason',
		freshReadMayCure: false,
		answer: () => 'body is not a SIP Caller event (expected a JSON object)',
		explain: (_f, w) => notAnEventWords('JSON that is not an object', w),
	},
	inProgress: {
		// Not 2xx: SIP Caller retries, and by then the first run has answered one way or the other.
		status: 409,
		production: 'debug',
		freshReadMayCure: false,
		answer: (f) =>
			`event ${f.eventId ?? ''} is still being processed by an earlier delivery; retry later`,
		explain: () => ({
			message:
				'An earlier delivery of this event is still running: it was answered 409, and SIP Caller delivers it again later (nothing to fix)',
			description:
				'The event was received a moment ago and its workflow has not answered yet. It was answered 409, so SIP Caller delivers it again later; by then the first run has finished and the repeat is answered "duplicate", or it runs if the first run failed.',
		}),
	},
	unreadableBody: {
		status: 400,
		// Nothing can be verified, so it may be anyone's request: quiet, like an unsigned one.
		production: 'debug',
		freshReadMayCure: false,
		answer: () =>
			'request body could not be read (SIP Caller sends JSON; multipart bodies are not supported)',
		explain: (_f, w) => ({
			message: 'Refused a request whose body could not be read: SIP Caller sends JSON',
			description: `The request to the ${w.url} was sent as a form (multipart/form-data), which n8n reads before the trigger can check its signature. SIP Caller always sends application/json; so does the sample sender. Nothing after the trigger ran.`,
		}),
	},
	noSample: {
		status: 400,
		// Only a browser on the Test URL asks for a sample, and only while testing.
		production: 'debug',
		freshReadMayCure: false,
		answer: () => 'no sample for the event types selected on this trigger',
		explain: () => ({
			message: 'No sample for the event types selected on this trigger',
			description:
				'Samples exist for Call Ended and the five campaign events. Select one of them in Events to get a sample from the Test URL, or send a real event from SIP Caller.',
		}),
	},
	eventNotSelected: {
		...IGNORED,
		answer: (f) =>
			`ignored: event type ${f.eventType ?? '(none)'} is not selected in the published version of this trigger (after changing Events, publish the workflow again)`,
		explain: (f, w) => {
			const type = f.eventType ?? '(no type)';
			return {
				message: `Ignored a ${eventLabel(type)} event: it is not among the Events selected on this trigger. To run the workflow for it, add ${eventLabel(type)} to Events (or choose All Events)`,
				description: `SIP Caller sent a ${type} event; this trigger's Events are ${list(w.options.events.map(eventLabel))}. To run the workflow for it, add ${eventLabel(type)} to Events (or choose All Events). If this workflow should not get ${eventLabel(type)} events, clear that event in the SIP Caller webhook (Settings > Webhooks).${w.ignoredNote}`,
			};
		},
	},
	campaignNotSelected: {
		...IGNORED,
		answer: () => 'ignored: the event is about a campaign not selected on this trigger',
		explain: (f, w) => ({
			message: `Ignored an event of campaign "${f.value ?? '(unnamed)'}": it is not among the campaigns selected on this trigger. Add it to Options > Campaigns, or remove the campaign options to run for every campaign`,
			description: `This trigger runs only for the campaigns in Options > Campaign Names or IDs and Options > Campaigns (${list(w.options.campaigns)}). Add "${f.value ?? ''}" there, or remove both options to run for every campaign.${w.ignoredNote}`,
		}),
	},
	ringResultNotSelected: {
		...IGNORED,
		answer: (f) => `ignored: ring result ${f.value ?? 'undefined'} is not selected`,
		explain: (f, w) => ({
			message: `Ignored a Call Ended event with ring result "${f.value ?? '(none)'}": it is not among the Ring Results selected on this trigger. Add it to Options > Ring Results (Other Values), or remove the ring result options to run for every call`,
			description: `This trigger runs only for calls whose ring result is one of ${list(w.options.ringResults)} (Options > Ring Results and Ring Results (Other Values)). Add "${f.value ?? ''}" there, or remove both options to run for every call.${w.ignoredNote}`,
		}),
	},
	outcomeNotSelected: {
		...IGNORED,
		answer: (f) => `ignored: outcome ${f.value ?? 'undefined'} is not selected`,
		explain: (f, w) => ({
			message: `Ignored a Call Ended event with outcome "${f.value ?? '(none)'}": it is not among the Outcomes selected on this trigger. Add it to Options > Outcomes (Other Values), or remove the outcome options to run for every call`,
			description: `This trigger runs only for calls whose outcome is one of ${list(w.options.outcomes)} (Options > Outcomes and Outcomes (Other Values)). Add "${f.value ?? ''}" there, or remove both options to run for every call.${w.ignoredNote}`,
		}),
	},
	duplicate: {
		...IGNORED,
		answer: (f) => `duplicate: event ${f.eventId ?? ''} was already received`,
		explain: (f) => ({
			message: `Ignored a repeat of event ${f.eventId ?? ''}: this trigger already received it. Send a new event (the sample sender gives each send a new event ID unless --as-is is set)`,
			description: `SIP Caller delivers an event again when it got no 200 for it; this one had already been received, so it started nothing (Options > Ignore Duplicate Deliveries). To send a sample again as a new event, use a fresh one: the sample sender gives each send a new event ID unless --as-is is set.`,
		}),
	},
};

function notAnEventWords(what: string, w: Words): Explanation {
	return {
		message:
			'Refused a signed request whose body is not a SIP Caller event (a JSON object): SIP Caller always sends one, so check what sent this request',
		description: `The signature matched, so it was signed with this webhook's secret, but the body is ${what}. SIP Caller always sends a JSON object; check what sent it (a test tool sending its own file, a proxy that changed the body). ${w.nothingRan}`,
	};
}

type Rejection = Extract<Decision, { action: 'reject' }>;

/** A refusal with its row's status and answer: the only way one is made. */
export function refusal(reason: RejectReason, facts?: Facts): Rejection;
export function refusal(reason: TriggerReason, facts?: Facts): TriggerRefusal;
export function refusal(
	reason: RejectReason | TriggerReason,
	facts: Facts = {},
): Rejection | TriggerRefusal {
	const row = OUTCOMES[reason];
	const made: { action: 'reject'; status: RefuseStatus; reason: string; message: string } & Facts =
		{ action: 'reject', status: row.status, reason, message: row.answer(facts) };
	// Too old or too new: the signature matched, only the time is out of range.
	if (facts.signedAt !== undefined) made.signedAt = facts.signedAt;
	if (facts.cause !== undefined) made.cause = facts.cause;
	return made as Rejection | TriggerRefusal;
}

/** Whether a newer credential could turn this outcome into an acceptance. */
export function freshReadMayCure(outcome: Outcome): boolean {
	return outcome.action !== 'accept' && OUTCOMES[outcome.reason].freshReadMayCure;
}

/**
 * The explanation of a refused or ignored delivery (undefined for an accepted one). The Test and
 * Production URLs are named as the trigger panel names them.
 */
export function explainOutcome(outcome: Outcome, context: ExplainContext): Explanation | undefined {
	if (outcome.action === 'accept') return undefined;
	const words: Words = {
		testing: context.testing,
		options: withDefaults(context.options),
		now: context.now,
		url: context.testing ? 'Test URL' : 'Production URL',
		credential: context.credentialName
			? `the credential "${context.credentialName}"`
			: "the trigger's SIP Caller Webhook API credential",
		nothingRan: context.testing
			? 'Nothing after the trigger ran.'
			: 'Nothing after the trigger ran; SIP Caller was answered with an error, so it delivers the event again later (a few times, then it gives up).',
		publishAgain: context.testing ? '' : ' Then publish the workflow again.',
		ignoredNote: context.testing
			? ' While testing, n8n answers such an event 500, so SIP Caller would deliver it again; once the workflow is published, it is answered 200 "ignored" and not sent again.'
			: '',
	};
	return OUTCOMES[outcome.reason].explain(outcome as Facts, words);
}
