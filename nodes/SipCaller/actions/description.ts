/** The SIP Caller node's parameters: resource, operation and the fields of each operation. */
import type { INodeProperties } from 'n8n-workflow';

import { CAMPAIGN_STATUSES, CAMPAIGN_TYPES, DIALER_MODES } from '../core/api';

const show = (resource: string, operation: string[]) => ({
	show: { resource: [resource], operation },
});

const options = (values: readonly string[]) =>
	values.map((value) => ({ name: value, value })).sort((a, b) => a.name.localeCompare(b.name));

/** The campaign: picked from the account's list, typed as an ID, or named. */
const campaignLocator = (operation: string[], description: string): INodeProperties => ({
	displayName: 'Campaign',
	name: 'campaign',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description,
	displayOptions: show('campaignNumber', operation),
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a campaign...',
			typeOptions: { searchListMethod: 'searchCampaigns', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 0192831a-fbbe-735f-b385-a3252781817d',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[0-9A-Za-z][0-9A-Za-z-]*\\s*$',
						errorMessage: 'A campaign ID is letters, digits and dashes',
					},
				},
			],
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Collections',
			hint: 'The exact campaign name (any case); the run fails if no campaign or several have it',
		},
	],
});

export const nodeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Campaign', value: 'campaign' },
			{ name: 'Campaign Number', value: 'campaignNumber' },
		],
		default: 'campaignNumber',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List campaigns of the account',
				action: 'Get many campaigns',
			},
		],
		default: 'getAll',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaignNumber'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Add a number, with its variable values, to an active dynamic campaign',
				action: 'Add number to campaign',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the numbers of a campaign',
				action: 'Get many campaign numbers',
			},
		],
		default: 'add',
	},

	// Campaign Number > Add
	campaignLocator(
		['add'],
		'The dynamic campaign to add the number to. SIP Caller accepts new numbers while the campaign is active.',
	),
	{
		displayName: 'Phone Number',
		name: 'number',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +18005551234',
		description:
			'The number to call, international format with + preferred. Spaces, dashes, dots and parentheses are removed.',
		displayOptions: show('campaignNumber', ['add']),
	},
	{
		displayName: 'Variables',
		name: 'variableInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: "Map the Campaign's Variables",
				value: 'map',
				description:
					'One field per variable of the chosen campaign, under Values to Send once a campaign is chosen; the run checks they are still its variables',
			},
			{
				name: 'List Values in Order',
				value: 'ordered',
				description:
					"Values sent as they are, in the order of the campaign's variables (for a campaign given by an expression)",
			},
			{
				name: 'None: Send the Number Alone',
				value: 'none',
				description: 'Add the number without variable values, even if the campaign has variables',
			},
		],
		default: 'map',
		hint: 'Choose a campaign above: its variables then appear under Values to Send. If they do not follow when you pick another campaign, close and reopen this node (n8n cannot refresh them while a field holds an expression with no input data yet).',
		displayOptions: show('campaignNumber', ['add']),
	},
	{
		displayName: 'Variable Values',
		name: 'variables',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['campaign.value'],
			resourceMapper: {
				resourceMapperMethod: 'getCampaignVariables',
				mode: 'add',
				fieldWords: { singular: 'variable', plural: 'variables' },
				addAllFields: true,
				multiKeyMatch: false,
				// One choice for the user (Variables above), not n8n's column-mapping mode as well.
				supportAutoMap: false,
				hideNoDataError: true,
				// n8n re-reads the campaign's variables when the node is opened again (an option of
				// n8n 2.x editors that the n8n-workflow types we build against do not list yet).
				...({ refreshStaleSchemaOnOpen: true } as object),
			},
		},
		displayOptions: {
			show: { resource: ['campaignNumber'], operation: ['add'], variableInput: ['map'] },
			// Shown once a campaign is chosen: n8n then mounts it afresh and loads that campaign's
			// variables, even when it could not follow a change (see the hint of Variables).
			hide: { campaign: [''] },
		},
	},
	{
		displayName: 'Variable Values',
		name: 'orderedValues',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Value',
		default: {},
		description: "Values in the order of the campaign's variable names",
		displayOptions: {
			show: { resource: ['campaignNumber'], operation: ['add'], variableInput: ['ordered'] },
		},
		options: [
			{
				displayName: 'Value',
				name: 'values',
				values: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
			},
		],
	},

	// Campaign Number > Get Many
	campaignLocator(['getAll'], 'The campaign whose numbers to list'),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: { resource: ['campaign', 'campaignNumber'], operation: ['getAll'] } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: {
			show: { resource: ['campaign', 'campaignNumber'], operation: ['getAll'], returnAll: [false] },
		},
	},
	{
		displayName: 'Filters',
		name: 'numberFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('campaignNumber', ['getAll']),
		options: [
			{
				displayName: 'Phone Number',
				name: 'number',
				type: 'string',
				default: '',
				placeholder: 'e.g. 18005551234',
				description: 'Only this number',
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'ASC' },
					{ name: 'Descending', value: 'DESC' },
				],
				default: 'ASC',
				description: 'Order of the numbers (sorted by number)',
			},
		],
	},

	// Campaign > Get Many
	{
		displayName: 'Filters',
		name: 'campaignFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('campaign', ['getAll']),
		options: [
			{
				displayName: 'Campaign IDs',
				name: 'ids',
				type: 'string',
				default: '',
				description: 'Only these campaigns, IDs separated by commas',
			},
			{
				displayName: 'Dialer Mode',
				name: 'dialerMode',
				type: 'options',
				options: options(DIALER_MODES),
				default: 'Power',
			},
			{
				displayName: 'Extension ID',
				name: 'extensionId',
				type: 'string',
				default: '',
				description: 'Only campaigns that call through this extension of the phone system',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'Only campaigns with this name',
			},
			{
				displayName: 'Phone System ID',
				name: 'phoneSystemId',
				type: 'string',
				default: '',
				description: 'Only campaigns on this phone system',
			},
			{
				displayName: 'Start Date From',
				name: 'startDateFrom',
				type: 'dateTime',
				default: '',
				description: 'Only campaigns that start on or after this date',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: options(CAMPAIGN_STATUSES),
				default: 'Active',
			},
			{
				displayName: 'Tag IDs',
				name: 'tagIds',
				type: 'string',
				default: '',
				description: 'Only campaigns with at least one of these tags, IDs separated by commas',
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				options: options(CAMPAIGN_TYPES),
				default: 'Dynamic',
				description:
					'Static: numbers fixed when it starts. Dynamic: numbers can be added while it runs.',
			},
		],
	},
	{
		displayName: 'Sort Order',
		name: 'campaignSortOrder',
		type: 'options',
		options: [
			{ name: 'Name Ascending', value: 'ASC' },
			{ name: 'Name Descending', value: 'DESC' },
		],
		default: 'ASC',
		displayOptions: show('campaign', ['getAll']),
	},
];
