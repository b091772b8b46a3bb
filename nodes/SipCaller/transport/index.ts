/**
 * n8n glue for SIP Caller's REST API: sends what core/api.ts builds, with the `sipCallerApi`
 * credential (n8n adds the Bearer header), and turns error answers into n8n API errors that carry
 * SIP Caller's status and message. Shared by the SIP Caller node and the trigger's campaign list.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	collectPages,
	describeApiFailure,
	listCampaignsRequest,
	normalizeBaseUrl,
	readListResponse,
	type ApiCampaign,
	type ApiRequest,
	type ListQuery,
	type SortDirection,
} from '../core/api';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface SipCallerApiCredential {
	accountId: string;
	apiKey: string;
	baseUrl?: string;
}

export interface ApiAccount {
	accountId: string;
	baseUrl: string;
}

/** The credential's account id and base URL, checked (the key stays with n8n's authenticate). */
export async function apiAccount(context: ApiContext): Promise<ApiAccount> {
	const credential = await context.getCredentials<SipCallerApiCredential>('sipCallerApi');
	const accountId = String(credential.accountId ?? '').trim();
	if (accountId === '') {
		throw new NodeOperationError(
			context.getNode(),
			'The SIP Caller API credential has no Account ID',
		);
	}
	const baseUrl = normalizeBaseUrl(credential.baseUrl);
	if (!baseUrl) {
		throw new NodeOperationError(
			context.getNode(),
			'The API Base URL in the SIP Caller API credential is not an http(s) address',
		);
	}
	return { accountId, baseUrl };
}

export interface ApiResponse {
	status: number;
	body: unknown;
	headers: Record<string, unknown>;
}

/** One request to SIP Caller; an error status becomes a NodeApiError with SIP Caller's message. */
export async function sipCallerApiRequest(
	context: ApiContext,
	account: ApiAccount,
	request: ApiRequest,
	itemIndex?: number,
): Promise<ApiResponse> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${account.baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		json: true,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	let response: { statusCode: number; body: unknown; headers: Record<string, unknown> };
	try {
		response = await context.helpers.httpRequestWithAuthentication.call(
			context,
			'sipCallerApi',
			options,
		);
	} catch (error) {
		// No answer at all (DNS, refused connection, TLS, timeout): n8n's helper says what happened.
		const cause = error as { message?: string; code?: string; cause?: { code?: string } };
		const code = cause.cause?.code ?? cause.code;
		throw new NodeOperationError(
			context.getNode(),
			`Could not reach SIP Caller at ${account.baseUrl}`,
			{
				description: [cause.message, code].filter(Boolean).join(' ') || 'no answer',
				itemIndex,
			},
		);
	}
	if (response.statusCode >= 400) {
		const failure = describeApiFailure(response.statusCode, response.body);
		throw new NodeApiError(
			context.getNode(),
			{ status: response.statusCode, body: response.body } as unknown as JsonObject,
			{
				message: failure.message,
				description: failure.description,
				httpCode: String(response.statusCode),
				itemIndex,
			},
		);
	}
	return { status: response.statusCode, body: response.body, headers: response.headers };
}

/** A list endpoint read page by page (`range`) until a short page or the limit. */
export async function listAll(
	context: ApiContext,
	account: ApiAccount,
	build: (query: ListQuery) => ApiRequest,
	query: Omit<ListQuery, 'range'>,
	limit: number | undefined,
	itemIndex?: number,
): Promise<Array<Record<string, unknown>>> {
	return await collectPages(
		async (range) =>
			readListResponse(
				(await sipCallerApiRequest(context, account, build({ ...query, range }), itemIndex)).body,
			),
		{ limit },
	);
}

/** Campaigns of the account matching `filter`, every page. */
export async function listCampaigns(
	context: ApiContext,
	account: ApiAccount,
	filter: Record<string, unknown>,
	limit?: number,
	itemIndex?: number,
	sort: SortDirection = 'ASC',
): Promise<ApiCampaign[]> {
	const rows = await listAll(
		context,
		account,
		(query) => listCampaignsRequest(account.accountId, query),
		{ filter, sort: ['name', sort] },
		limit,
		itemIndex,
	);
	return rows.filter((row): row is ApiCampaign => typeof row.id === 'string');
}
