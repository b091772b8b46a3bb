import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeProperties } from './actions/description';
import { sipCallerMethods } from './actions/methods';
import { runOperation, type CampaignCache } from './actions/operations';
import { apiAccount } from './transport';

export class SipCaller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Caller',
		name: 'sipCaller',
		icon: { light: 'file:../../icons/sipCaller.svg', dark: 'file:../../icons/sipCaller.dark.svg' },
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

	methods = sipCallerMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const cache: CampaignCache = new Map();
		const account = await apiAccount(this);
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const rows = await runOperation(this, account, itemIndex, cache);
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
