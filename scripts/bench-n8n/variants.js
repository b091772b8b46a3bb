// @ts-check
'use strict';
/**
 * The variants the bench measures (run.js's header lists them) and what n8n runs for each: the
 * kinds and their labels, the signing secrets and the credentials imported into n8n, each
 * variant's trigger node and workflow (trigger only, or → HTTP Request to the sink), where it is
 * called, and the answer it must get. The base* kinds (--baseline) are their namesakes run by the
 * baseline package (baseline.js): its node type, its renamed credential type, the same answers.
 */

/** @typedef {import('./deliveries').Answer} Answer */
/** @typedef {'webhook' | 'minimal' | 'minimalCred' | 'minimalExec' | 'full' | 'simplified' | 'ignored' | 'duplicate' | 'forged' | 'unsigned' | 'v1'} OwnKind */
/** @typedef {'baseSimplified' | 'baseIgnored' | 'baseForged' | 'baseUnsigned'} BaseKind */
/** @typedef {OwnKind | BaseKind} Kind */
/** @typedef {'trigger' | 'http'} Shape */
/**
 * @typedef {object} Variant
 * @property {Kind} kind
 * @property {Shape} shape
 * @property {string} id       workflow id, webhook id and sink path
 * @property {string} label
 */

const SECRET = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const WRONG_SECRET = 'badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0';

const ALL_KINDS = /** @type {Kind[]} */ ([
	'webhook',
	'minimal',
	'minimalCred',
	'minimalExec',
	'full',
	'simplified',
	'ignored',
	'duplicate',
	'forged',
	'unsigned',
	'v1',
]);

/** The baseline's kinds (only with --baseline), each the same workflow and request as its namesake. */
const BASE_KINDS = /** @type {Record<BaseKind, OwnKind>} */ ({
	baseSimplified: 'simplified',
	baseIgnored: 'ignored',
	baseForged: 'forged',
	baseUnsigned: 'unsigned',
});
const ALL_BASE_KINDS = /** @type {BaseKind[]} */ (Object.keys(BASE_KINDS));

/** @param {Kind} kind @returns {kind is BaseKind} */
const isBaseline = (kind) => kind in BASE_KINDS;
/** What the variant's trigger is sent and answers: the kind itself, or a base kind's namesake. @param {Kind} kind @returns {OwnKind} */
const behaviourOf = (kind) => (isBaseline(kind) ? BASE_KINDS[kind] : kind);
/** The base kind of one of ours, if it has one. @param {Kind} kind @returns {BaseKind | undefined} */
const baseKindOf = (kind) => ALL_BASE_KINDS.find((base) => BASE_KINDS[base] === kind);

const LABELS = /** @type {Record<Kind, string>} */ ({
	webhook: "n8n's Webhook node",
	minimal: 'minimal community trigger',
	minimalCred: 'minimal trigger + credential',
	minimalExec: 'minimal trigger + execute()',
	full: 'SIP Caller: accepted, Full',
	simplified: 'SIP Caller: accepted, Simplified',
	ignored: 'SIP Caller: ignored (type not selected)',
	duplicate: 'SIP Caller: duplicate',
	forged: 'SIP Caller: forged (401)',
	unsigned: 'SIP Caller: unsigned (401)',
	v1: 'SIP Caller v1: accepted, Full',
	baseSimplified: 'SIP Caller BEFORE: accepted, Simplified',
	baseIgnored: 'SIP Caller BEFORE: ignored (type not selected)',
	baseForged: 'SIP Caller BEFORE: forged (401)',
	baseUnsigned: 'SIP Caller BEFORE: unsigned (401)',
});

const CREDENTIAL = {
	id: 'sipBenchCred',
	name: 'SIP Caller Webhook (bench)',
	type: 'sipCallerWebhookApi',
	data: { signingSecret: SECRET, previousSigningSecret: '' },
};
/** The baseline package's webhook credential (baseline.js renames its type), same secret. */
const BASE_CREDENTIAL = {
	id: 'sipBenchCredBase',
	name: 'SIP Caller Webhook (bench, baseline)',
	type: 'sipCallerWebhookApiBaseline',
	data: CREDENTIAL.data,
};
const MINIMAL_CREDENTIAL = {
	id: 'minimalBenchCred',
	name: 'Minimal Secret (bench)',
	type: 'minimalSecretApi',
	data: { secret: SECRET },
};

/** @param {Kind} kind @param {Shape} shape @returns {Variant} */
function variantOf(kind, shape) {
	return {
		kind,
		shape,
		id: `bench-${kind}-${shape === 'trigger' ? 't' : 'h'}`,
		label: LABELS[kind],
	};
}

/** @param {string} base @param {Variant} v */
function webhookUrl(base, v) {
	// The Webhook node is called at its Path; the others at <webhookId>/<their path>.
	return v.kind === 'webhook' ? `${base}/webhook/${v.id}` : `${base}/webhook/${v.id}/webhook`;
}

/** @param {Variant} v @returns {Record<string, unknown>} */
function triggerNode(v) {
	const common = { id: `${v.id}-trigger`, position: [0, 0], webhookId: v.id };
	if (v.kind === 'webhook') {
		return {
			...common,
			name: 'Trigger',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			parameters: { httpMethod: 'POST', path: v.id, responseMode: 'onReceived', options: {} },
		};
	}
	if (v.kind === 'minimal') {
		return {
			...common,
			name: 'Trigger',
			type: 'n8n-nodes-minimal-trigger.minimalTrigger',
			typeVersion: 2,
			parameters: {},
		};
	}
	if (v.kind === 'minimalExec') {
		return {
			...common,
			name: 'Trigger',
			type: 'n8n-nodes-minimal-trigger.minimalExecuteTrigger',
			typeVersion: 2,
			parameters: {},
		};
	}
	if (v.kind === 'minimalCred') {
		return {
			...common,
			name: 'Trigger',
			type: 'n8n-nodes-minimal-trigger.minimalCredentialTrigger',
			typeVersion: 2,
			parameters: {},
			credentials: {
				minimalSecretApi: { id: MINIMAL_CREDENTIAL.id, name: MINIMAL_CREDENTIAL.name },
			},
		};
	}
	const kind = behaviourOf(v.kind);
	const events = kind === 'ignored' ? ['CampaignFinished'] : ['*'];
	const parameters =
		kind === 'v1'
			? { events, options: {} }
			: { events, output: kind === 'full' ? 'full' : 'simplified', options: {} };
	const credential = isBaseline(v.kind) ? BASE_CREDENTIAL : CREDENTIAL;
	return {
		...common,
		name: 'Trigger',
		type: isBaseline(v.kind)
			? 'n8n-nodes-sip-caller-baseline.sipCallerTrigger'
			: 'n8n-nodes-sip-caller.sipCallerTrigger',
		typeVersion: kind === 'v1' ? 1 : 2,
		parameters,
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

/** @param {Variant} v @param {string} sinkUrl */
function workflowOf(v, sinkUrl) {
	const nodes = [triggerNode(v)];
	/** @type {Record<string, unknown>} */
	let connections = {};
	if (v.shape === 'http') {
		nodes.push({
			id: `${v.id}-sink`,
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [300, 0],
			parameters: {
				method: 'POST',
				url: `${sinkUrl}/${v.id}`,
				sendBody: true,
				specifyBody: 'json',
				// The same body in every workflow, and no expression: under \`vm\` an expression here
				// costs an isolate per execution whatever the trigger, which is not what is measured.
				jsonBody: '{"received":true}',
				options: {},
			},
		});
		connections = { Trigger: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } };
	}
	return {
		id: v.id,
		name: `bench: ${v.label} (${v.shape === 'trigger' ? 'trigger only' : '→ HTTP Request'})`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections,
		nodes,
	};
}

/** Whether an answer is the one this variant must get. @param {Variant} v @param {Answer} a */
function expected(v, a) {
	switch (behaviourOf(v.kind)) {
		case 'unsigned':
			// No Sip-Caller-Signature header: refused, never reported (no execution, no 500).
			return a.status === 401;
		case 'forged':
			// The first of each report window (5 minutes, per trigger) is the report: n8n's 500
			// with its generic sentence, and a failed execution (docs/delivery.md, "Refusals shown in n8n").
			return (
				a.status === 401 || (a.status === 500 && a.text.includes('Workflow could not be started'))
			);
		case 'ignored':
			return a.status === 200 && a.text.includes('"ignored":true');
		case 'duplicate':
			return a.status === 200 && a.text.includes('"reason":"duplicate"');
		default:
			return a.status === 200 && !a.text.includes('"ignored"');
	}
}

/** Whether an accepted delivery of this variant starts an execution. @param {Variant} v */
const executes = (v) =>
	!['ignored', 'duplicate', 'forged', 'unsigned'].includes(behaviourOf(v.kind));

module.exports = {
	SECRET,
	WRONG_SECRET,
	ALL_KINDS,
	ALL_BASE_KINDS,
	LABELS,
	CREDENTIAL,
	BASE_CREDENTIAL,
	MINIMAL_CREDENTIAL,
	isBaseline,
	behaviourOf,
	baseKindOf,
	variantOf,
	webhookUrl,
	workflowOf,
	expected,
	executes,
};
