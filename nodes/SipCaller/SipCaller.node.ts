import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeDescription,
	type ResourceMapperFields,
} from 'n8n-workflow';

import { campaignLabel, listCampaignsRequest, PAGE_SIZE, readListResponse } from './core';
import { nodeProperties } from './description';
import {
	addCampaignNumber,
	getManyCampaignNumbers,
	getManyCampaigns,
	readLocator,
	resolveCampaign,
	type CampaignCache,
} from './operations';
import { apiAccount, sipCallerApiRequest } from './transport';

export class SipCaller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Caller',
		name: 'sipCaller',
		icon: { light: 'file:sipCaller.svg', dark: 'file:sipCaller.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: "Add numbers to SIP Caller's dynamic campaigns and list campaigns",
		defaults: { name: 'SIP Caller' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sipCallerApi', required: true }],
		properties: nodeProperties,
	};

	methods = {
		listSearch: {
			/** The account's campaigns for the Campaign picker, 100 a page, filtered by name. */
			async searchCampaigns(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string,
			): Promise<INodeListSearchResult> {
				const account = await apiAccount(this);
				const start = Number(paginationToken ?? 0) || 0;
				const query = {
					filter: filter?.trim() ? { name: filter.trim() } : undefined,
					sort: ['name', 'ASC'] as ['name', 'ASC'],
					range: [start, start + PAGE_SIZE - 1] as [number, number],
				};
				const response = await sipCallerApiRequest(
					this,
					account,
					listCampaignsRequest(account.accountId, query),
				);
				const rows = readListResponse(response.body);
				return {
					results: rows
						.filter((row) => typeof row.id === 'string')
						.map((row) => ({
							name: campaignLabel(row),
							value: row.id as string,
						})),
					paginationToken: rows.length === PAGE_SIZE ? String(start + PAGE_SIZE) : undefined,
				};
			},
		},
		resourceMapping: {
			/** One field per variable name of the chosen campaign, in the campaign's order. */
			async getCampaignVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
				const locator = readLocator(
					this.getNodeParameter('campaign', undefined, { extractValue: false }),
				);
				if (locator.value === '' || locator.value.startsWith('=')) {
					return { fields: [], emptyFieldsNotice: 'Choose a campaign to see its variables' };
				}
				const campaign = await resolveCampaign(this, await apiAccount(this), locator, new Map());
				const varNames = Array.isArray(campaign.varNames) ? campaign.varNames : [];
				return {
					fields: varNames.map((name) => ({
						id: name,
						displayName: name,
						required: false,
						defaultMatch: false,
						display: true,
						type: 'string',
						canBeUsedToMatch: false,
					})),
					emptyFieldsNotice: `Campaign "${String(campaign.name ?? campaign.id)}" has no variables: only the number is sent`,
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const cache: CampaignCache = new Map();
		const account = await apiAccount(this);
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const rows = await runOperation(this, itemIndex, account, cache);
				output.push(...rows.map((json) => ({ json, pairedItem: { item: itemIndex } })));
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({
						json: { error: (error as Error).message },
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				throw asNodeError(this.getNode(), error, itemIndex);
			}
		}
		return [output];
	}
}

async function runOperation(
	context: IExecuteFunctions,
	itemIndex: number,
	account: Awaited<ReturnType<typeof apiAccount>>,
	cache: CampaignCache,
): Promise<IDataObject[]> {
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	if (resource === 'campaign' && operation === 'getAll') {
		return await getManyCampaigns(context, account, itemIndex);
	}
	if (resource === 'campaignNumber' && operation === 'add') {
		return await addCampaignNumber(context, account, itemIndex, cache);
	}
	if (resource === 'campaignNumber' && operation === 'getAll') {
		return await getManyCampaignNumbers(context, account, itemIndex, cache);
	}
	throw new NodeOperationError(
		context.getNode(),
		`The operation "${operation}" of "${resource}" is not supported`,
		{ itemIndex },
	);
}

/**
 * Our own errors already are n8n errors carrying the item and SIP Caller's status (wrapping a
 * NodeApiError again would lose its HTTP code); anything else becomes a NodeOperationError.
 */
function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
