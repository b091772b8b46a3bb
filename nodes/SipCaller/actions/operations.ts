/**
 * What each operation of the SIP Caller node does with one input item: read its parameters (they may
 * be expressions, so per item), build the request with the core, send it, return output rows.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeParameterResourceLocator,
} from 'n8n-workflow';

import {
	addCampaignNumberRequest,
	addedNumber,
	campaignFilter,
	listCampaignNumbersRequest,
	mappedVarValues,
	normalizePhoneNumber,
	variableText,
	type ApiCampaign,
	type CampaignFilterInput,
	type SortDirection,
} from '../core/api';
import { listAll, listCampaigns, sipCallerApiRequest, type ApiAccount } from '../transport';

export type CampaignLocator = { mode: string; value: string };

const NO_CAMPAIGN = 'No campaign given: choose one, or type its ID or name';

/** Campaigns already looked up in this run, by "mode:value": one API call per campaign, not per item. */
export type CampaignCache = Map<string, ApiCampaign>;

export function readLocator(value: unknown): CampaignLocator {
	const locator = (value ?? {}) as Partial<INodeParameterResourceLocator>;
	return {
		mode: String(locator.mode ?? 'id'),
		value: typeof locator.value === 'string' ? locator.value.trim() : String(locator.value ?? ''),
	};
}

/**
 * The campaign of a locator, with its details (variable names). The API documents no "get one
 * campaign" endpoint, so it is the list filtered by `ids` or by `name` (then matched exactly, any
 * case, since the docs do not say whether `name` matches exactly).
 */
export async function resolveCampaign(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	account: ApiAccount,
	locator: CampaignLocator,
	cache: CampaignCache,
	itemIndex?: number,
): Promise<ApiCampaign> {
	const fail = (message: string) =>
		new NodeOperationError(context.getNode(), message, { itemIndex });
	if (locator.value === '') throw fail(NO_CAMPAIGN);
	const key = `${locator.mode}:${locator.value}`;
	const cached = cache.get(key);
	if (cached) return cached;

	let campaign: ApiCampaign;
	if (locator.mode === 'name') {
		const wanted = locator.value.toLowerCase();
		const candidates = await listCampaigns(
			context,
			account,
			{ name: locator.value },
			undefined,
			itemIndex,
		);
		const matches = candidates.filter((c) => String(c.name ?? '').toLowerCase() === wanted);
		if (matches.length === 0) throw fail(`No campaign is named "${locator.value}" in this account`);
		if (matches.length > 1) {
			throw fail(
				`${matches.length} campaigns are named "${locator.value}" (IDs ${matches.map((c) => c.id).join(', ')}): choose one from the list or by ID`,
			);
		}
		campaign = matches[0];
	} else {
		const [found] = await listCampaigns(context, account, { ids: [locator.value] }, 1, itemIndex);
		if (!found || found.id !== locator.value) {
			throw fail(`No campaign with ID "${locator.value}" in this account`);
		}
		campaign = found;
	}
	cache.set(key, campaign);
	return campaign;
}

/** The campaign id, without an API call unless the locator is a name. */
async function campaignIdOf(
	context: IExecuteFunctions,
	account: ApiAccount,
	locator: CampaignLocator,
	cache: CampaignCache,
	itemIndex: number,
): Promise<string> {
	if (locator.value === '')
		throw new NodeOperationError(context.getNode(), NO_CAMPAIGN, { itemIndex });
	if (locator.mode !== 'name') return locator.value;
	return (await resolveCampaign(context, account, locator, cache, itemIndex)).id;
}

function limitOf(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	return Math.max(1, Math.floor(context.getNodeParameter('limit', itemIndex, 50) as number));
}

export async function getManyCampaigns(
	context: IExecuteFunctions,
	account: ApiAccount,
	itemIndex: number,
	_cache: CampaignCache,
): Promise<IDataObject[]> {
	const filters = context.getNodeParameter('campaignFilters', itemIndex, {}) as CampaignFilterInput;
	let filter: Record<string, unknown>;
	try {
		filter = campaignFilter(filters);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { itemIndex });
	}
	const sort = context.getNodeParameter('campaignSortOrder', itemIndex, 'ASC') as SortDirection;
	return (await listCampaigns(
		context,
		account,
		filter,
		limitOf(context, itemIndex),
		itemIndex,
		sort,
	)) as IDataObject[];
}

export async function getManyCampaignNumbers(
	context: IExecuteFunctions,
	account: ApiAccount,
	itemIndex: number,
	cache: CampaignCache,
): Promise<IDataObject[]> {
	const locator = readLocator(
		context.getNodeParameter('campaign', itemIndex, undefined, { extractValue: false }),
	);
	const campaignId = await campaignIdOf(context, account, locator, cache, itemIndex);
	const filters = context.getNodeParameter('numberFilters', itemIndex, {}) as {
		number?: string;
		sortOrder?: SortDirection;
	};
	const filter: Record<string, unknown> = {};
	if (typeof filters.number === 'string' && filters.number.trim() !== '') {
		filter.number = filters.number.trim();
	}
	return (await listAll(
		context,
		account,
		(query) => listCampaignNumbersRequest(account.accountId, campaignId, query),
		{ filter, sort: ['number', filters.sortOrder === 'DESC' ? 'DESC' : 'ASC'] },
		limitOf(context, itemIndex),
		itemIndex,
	)) as IDataObject[];
}

export async function addCampaignNumber(
	context: IExecuteFunctions,
	account: ApiAccount,
	itemIndex: number,
	cache: CampaignCache,
): Promise<IDataObject[]> {
	const fail = (message: string) =>
		new NodeOperationError(context.getNode(), message, { itemIndex });
	const locator = readLocator(
		context.getNodeParameter('campaign', itemIndex, undefined, { extractValue: false }),
	);
	const checked = normalizePhoneNumber(context.getNodeParameter('number', itemIndex, ''));
	if (!checked.ok) throw fail(checked.message);

	let campaignId: string;
	let varValues: string[] = [];
	const variableInput = context.getNodeParameter('variableInput', itemIndex, 'map') as string;
	if (variableInput === 'ordered') {
		campaignId = await campaignIdOf(context, account, locator, cache, itemIndex);
		const ordered = context.getNodeParameter('orderedValues.values', itemIndex, []) as Array<{
			value?: unknown;
		}>;
		varValues = ordered.map((entry) => variableText(entry.value));
	} else if (variableInput === 'none') {
		// The user chose to send the number alone: no lookup, no variables.
		campaignId = await campaignIdOf(context, account, locator, cache, itemIndex);
	} else {
		// Read once: its mapped values (expressions resolved for this item) and the list it showed.
		const variables = context.getNodeParameter('variables', itemIndex, null) as {
			value?: Record<string, unknown> | null;
		} | null;
		// The campaign's current variable names give the order SIP Caller reads varValues in, and
		// are checked against what the node listed when the user mapped them.
		const campaign = await resolveCampaign(context, account, locator, cache, itemIndex);
		campaignId = campaign.id;
		const checked = mappedVarValues(
			String(campaign.name ?? campaign.id),
			Array.isArray(campaign.varNames) ? campaign.varNames : [],
			variables?.value ?? {},
			listedVariableNames(variables),
		);
		if (!checked.ok) throw fail(checked.message);
		varValues = checked.varValues;
	}

	const response = await sipCallerApiRequest(
		context,
		account,
		addCampaignNumberRequest(account.accountId, campaignId, checked.number, varValues),
		itemIndex,
	);
	// Assumed: SIP Caller answers with the added row; when it sends no JSON object, say what was sent.
	const body = response.body;
	if (body && typeof body === 'object' && !Array.isArray(body)) return [body as IDataObject];
	return [addedNumber(campaignId, checked.number, varValues)];
}

/** One operation on one input item: its output rows. */
export type Operation = (
	context: IExecuteFunctions,
	account: ApiAccount,
	itemIndex: number,
	cache: CampaignCache,
) => Promise<IDataObject[]>;

/** resource → operation → what it does; the node's Resource and Operation values are the keys. */
export const OPERATIONS: Record<string, Record<string, Operation>> = {
	campaign: { getAll: getManyCampaigns },
	campaignNumber: { add: addCampaignNumber, getAll: getManyCampaignNumbers },
};

/** An own key only: a parameter value such as `constructor` must not reach Object's prototype. */
function own<T>(table: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Runs the item's operation, looked up in OPERATIONS. */
export async function runOperation(
	context: IExecuteFunctions,
	account: ApiAccount,
	itemIndex: number,
	cache: CampaignCache,
): Promise<IDataObject[]> {
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	const run = own(own(OPERATIONS, resource) ?? {}, operation);
	if (!run) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
			{ itemIndex },
		);
	}
	return await run(context, account, itemIndex, cache);
}

/** The variable names the mapper listed when the user mapped them (its saved schema), if any. */
export function listedVariableNames(variables: unknown): string[] | undefined {
	const schema = (variables as { schema?: unknown } | null)?.schema;
	if (!Array.isArray(schema) || schema.length === 0) return undefined;
	return schema
		.map((field) => (field as { id?: unknown })?.id)
		.filter((id): id is string => typeof id === 'string');
}
