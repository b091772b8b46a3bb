/** The SIP Caller Trigger's parameters, as the editor shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { ALL_EVENTS } from '../core/delivery';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_MAX_FUTURE_SECONDS } from '../core/signature';

/** Event types as SIP Caller spells them, with the words the editor shows. */
export const EVENT_OPTIONS = [
	{
		name: '[All]',
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
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Campaigns',
				name: 'campaigns',
				type: 'string',
				default: '',
				placeholder: 'e.g. Campaign 1, 0192831a-fbbe-735f-b385-a3252781817d',
				description:
					'Only events of these campaigns: names or IDs, separated by commas (any case). Events of other campaigns are answered "ignored" and start nothing. Empty = every campaign.',
			},
			{
				displayName: 'Campaigns From SIP Caller Names or IDs',
				name: 'campaignIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getCampaigns' },
				default: [],
				description:
					'Only events of the campaigns picked here (together with those typed in Campaigns). The list needs a SIP Caller API credential selected on this node. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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
					'Whether a repeated event ID (SIP Caller retrying a delivery it thinks failed) is answered "duplicate" and starts no second execution. IDs are remembered for the maximum event age (7 days with no limit), also across n8n restarts.',
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
				displayName: 'Other Outcomes',
				name: 'otherOutcomes',
				type: 'string',
				default: '',
				placeholder: 'e.g. Failed, Callback',
				description:
					'Call Ended only: outcome values not in the list above, separated by commas (SIP Caller may send values this node does not list). Added to Outcomes.',
			},
			{
				displayName: 'Other Ring Results',
				name: 'otherRingResults',
				type: 'string',
				default: '',
				placeholder: 'e.g. Busy, Rejected',
				description:
					'Call Ended only: ring result values not in the list above, separated by commas (SIP Caller may send values this node does not list). Added to Ring Results.',
			},
			{
				displayName: 'Outcomes',
				name: 'outcomes',
				type: 'multiOptions',
				default: [],
				options: OUTCOME_OPTIONS,
				description:
					'Call Ended only: start the workflow only for calls with these outcomes. Other calls are answered "ignored". None selected = every outcome.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'full',
				options: [
					{
						name: 'Full Event',
						value: 'full',
						description: 'The event exactly as SIP Caller sent it, nested',
					},
					{
						name: 'Simplified',
						value: 'simplified',
						description:
							'One flat row per event, ready for Google Sheets, Airtable or a CRM: times in UTC, durations in seconds, each campaign variable and survey answer as its own field',
					},
				],
			},
			{
				displayName: 'Ring Results',
				name: 'ringResults',
				type: 'multiOptions',
				default: [],
				options: RING_RESULT_OPTIONS,
				description:
					'Call Ended only: start the workflow only for calls with these ring results (for example only No Answer). Other calls are answered "ignored". None selected = every ring result.',
			},
		],
	},
];
