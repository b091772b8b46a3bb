/** The SIP Caller Trigger's parameters, as the editor shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { ALL_EVENTS } from '../core/options';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_MAX_FUTURE_SECONDS } from '../core/signature';

/** Event types as SIP Caller spells them, with the words the editor shows. */
export const EVENT_OPTIONS = [
	{
		// n8n's node panel lists each option as an action "On <name, lower case>": "On all events".
		name: 'All Events',
		value: ALL_EVENTS,
		description: 'Every event, including types SIP Caller adds later',
	},
	{
		name: 'Call Ended',
		value: 'CallEnded',
		description: 'A call of a campaign ended, answered or not',
	},
	{ name: 'Campaign Activated', value: 'CampaignActivated' },
	{ name: 'Campaign Canceled', value: 'CampaignCanceled' },
	{ name: 'Campaign Finished', value: 'CampaignFinished' },
	{ name: 'Campaign Paused', value: 'CampaignPaused' },
	{ name: 'Campaign Resumed', value: 'CampaignResumed' },
];

/** Ring results seen in SIP Caller's documentation and sample receiver; others can be typed. */
export const RING_RESULT_OPTIONS = [
	{ name: 'Answer', value: 'Answer' },
	{ name: 'No Answer', value: 'NoAnswer' },
];

/** Outcomes seen in SIP Caller's documentation; others can be typed. */
export const OUTCOME_OPTIONS = [{ name: 'Success', value: 'Success' }];

const OUTPUT_OPTIONS = [
	{
		name: 'Simplified',
		value: 'simplified',
		description:
			'One flat row per event, ready for Google Sheets, Airtable or a CRM: times in UTC, durations in seconds, each campaign variable and survey answer as its own field',
	},
	{
		name: 'Full Event',
		value: 'full',
		description: 'The event exactly as SIP Caller sent it, nested',
	},
];

/** Version 2 shows Output at the top level, defaulting to Simplified; version 1 keeps it in Options. */
const FROM_VERSION_2 = { show: { '@version': [{ _cnd: { gte: 2 } }] } };
const VERSION_1 = { show: { '@version': [1] } };

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"In SIP Caller, open Settings > Webhooks > Create, paste this node's Production URL, select the same events as below, and copy the webhook's signing secret into the credential. Then select the webhook on the Behavior tab of each campaign that should report here.",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		options: EVENT_OPTIONS,
		description:
			'The events that start this workflow. Other events SIP Caller sends to this URL are answered "ignored" and start nothing.',
	},
	{
		// n8n shows no trigger panel (the left pane stays blank) while a required parameter is empty:
		// say what to do where the user is looking. Hidden as soon as one event is selected.
		displayName:
			'Select the events that start this workflow (or All Events): the trigger can listen for a test event, and its panel on the left shows how to send one, once at least one is selected',
		name: 'eventsNotice',
		type: 'notice',
		default: '',
		displayOptions: { hide: { events: [{ _cnd: { exists: true } }] } },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		default: 'simplified',
		options: OUTPUT_OPTIONS,
		displayOptions: FROM_VERSION_2,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Campaign Names or IDs',
				name: 'campaignIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getCampaigns' },
				default: [],
				description:
					'Only events of the campaigns picked here (and of those typed in Campaigns). The list is filled from SIP Caller when the optional SIP Caller API credential is selected on this node; without it, type names or IDs in Campaigns. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Campaigns',
				name: 'campaigns',
				type: 'string',
				default: '',
				placeholder: 'e.g. Campaign 1, 0192831a-fbbe-735f-b385-a3252781817d',
				description:
					'Only events of these campaigns: names or IDs, separated by commas (any case), together with those picked in Campaign Names or IDs. Events of other campaigns are answered "ignored" and start nothing. Empty = every campaign.',
			},
			{
				displayName: 'Clock Skew Tolerance (Seconds)',
				name: 'maxFutureSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MAX_FUTURE_SECONDS,
				description:
					"How far in the future an event's signature time may be, to allow for clocks that differ between SIP Caller and this n8n server",
			},
			{
				displayName: 'Ignore Duplicate Deliveries',
				name: 'deduplicate',
				type: 'boolean',
				default: true,
				description:
					'Whether a repeated event ID (SIP Caller delivering again an event it got no 200 for) is answered "duplicate" and starts no second execution. This n8n process remembers the IDs for the maximum event age (7 days with no limit), not across restarts: see the README.',
			},
			{
				displayName: 'Maximum Event Age (Seconds)',
				name: 'maxAgeSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MAX_AGE_SECONDS,
				description:
					'Refuse events generated longer ago than this (0 = no limit). SIP Caller retries failed deliveries and queues events while a webhook is disabled, always with the time the event was generated, so keep this at least as long as the webhook may stay disabled.',
			},
			{
				displayName: 'Outcomes',
				name: 'outcomes',
				type: 'multiOptions',
				default: [],
				options: OUTCOME_OPTIONS,
				description:
					'Call Ended only: start the workflow only for calls with these outcomes (more in Outcomes (Other Values)). Other calls are answered "ignored". None selected = every outcome.',
			},
			{
				displayName: 'Outcomes (Other Values)',
				name: 'otherOutcomes',
				type: 'string',
				default: '',
				placeholder: 'e.g. Failed, Callback',
				description:
					'Call Ended only: outcome values that Outcomes does not offer, separated by commas (SIP Caller may send values this node does not list). Added to those picked in Outcomes.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'full',
				options: [...OUTPUT_OPTIONS].reverse(),
				displayOptions: VERSION_1,
			},
			{
				displayName: 'Respond to SIP Caller',
				name: 'respond',
				type: 'options',
				noDataExpression: true,
				default: 'immediately',
				options: [
					{
						name: 'Immediately',
						value: 'immediately',
						description:
							'Answer 200 as soon as n8n has taken the event. Fast; but if n8n stops abruptly before the workflow has run, the event is lost.',
					},
					{
						name: 'When the Workflow Has Finished',
						value: 'afterWorkflow',
						description:
							"Answer 200 only once the workflow has run; a failed run answers 500 and n8n stopping leaves the delivery unanswered, so SIP Caller delivers it again. Set the SIP Caller webhook's timeout longer than the workflow takes.",
					},
				],
				description:
					'When SIP Caller gets its answer. SIP Caller delivers again every event it got no 200 for.',
			},
			{
				displayName: 'Ring Results',
				name: 'ringResults',
				type: 'multiOptions',
				default: [],
				options: RING_RESULT_OPTIONS,
				description:
					'Call Ended only: start the workflow only for calls with these ring results (for example only No Answer; more in Ring Results (Other Values)). Other calls are answered "ignored". None selected = every ring result.',
			},
			{
				displayName: 'Ring Results (Other Values)',
				name: 'otherRingResults',
				type: 'string',
				default: '',
				placeholder: 'e.g. Busy, Rejected',
				description:
					'Call Ended only: ring result values that Ring Results does not offer, separated by commas (SIP Caller may send values this node does not list). Added to those picked in Ring Results.',
			},
		],
	},
];

/**
 * The editor's trigger panel: its header, and (under "When will this node trigger my flow?", shown
 * before the user starts listening; while listening n8n 2.41 shows only its own two lines) how a
 * test event reaches the Test URL. SIP Caller only calls the URL set in its webhook (normally the
 * Production URL), so "create an event in SIP Caller" alone would leave the user waiting.
 */
export const TRIGGER_PANEL = {
	header: 'Send a test event from SIP Caller, or get a sample in your browser',
	executionsHelp: {
		inactive:
			"SIP Caller sends events only to the URL set in its webhook. <b>To try the workflow without SIP Caller:</b> click <b>Execute step</b> (or <b>Test this trigger</b>) so the trigger listens, then open this node's <b>Test URL</b> (under Webhook URLs) in your browser: the trigger gets SIP Caller's sample of the first event type selected in Events, signed with the credential's secret (add <code>?event=CampaignFinished</code> to the URL for another type). A sample proves the workflow and that the secret is hexadecimal, not that it is the secret your SIP Caller webhook signs with: a real event does. <b>With a real event:</b> set the Test URL on the SIP Caller webhook (Settings > Webhooks), make a test call, then set the Production URL back. From a terminal, <code>SIP_CALLER_SIGNING_SECRET=&lt;signing secret&gt; npx sip-caller-send CallEnded --url &lt;Test URL&gt;</code> signs and sends a sample (the secret in the environment stays out of the shell's history). An event that is refused (wrong signing secret, too old) or ignored (event type, campaign, ring result or outcome not selected) shows here as an error with the reason and the fix; nothing after the trigger runs.",
		active:
			'This workflow is published: every event SIP Caller sends to the <b>Production URL</b> runs it, and each run is listed under Executions. An authentic event that is refused (too old, a signing secret that does not match) shows there as a failed execution of this trigger, at most one per reason every 5 minutes, so an error workflow can alert you. Changes to the trigger apply once you publish again; to try one first, use the Test URL (open it in your browser while the trigger listens for a sample).',
	},
	activationHint:
		"Once you're happy with the workflow, publish it: SIP Caller's events to the Production URL then run it in the background. After changing the trigger, publish again (n8n runs the published version).",
};
