/**
 * The library's public surface: `require('n8n-nodes-sip-caller')` (docs/library.md).
 *
 * Only what docs/library.md documents is exported, by name, so that renaming an internal helper is not a
 * breaking change for library users. The nodes do not import from here: they import from the
 * modules they use. No n8n import anywhere below this folder (enforced by lint), so the core runs
 * in any Node program.
 */
export {
	DEFAULT_MAX_AGE_SECONDS,
	DEFAULT_MAX_FUTURE_SECONDS,
	SIGNATURE_HEADER,
	describeSignatureFailure,
	generateSigningSecret,
	isValidSigningSecret,
	signPayload,
	verifySignature,
	type SignatureFailureReason,
	type VerifyOptions,
	type VerifyResult,
} from './signature';

export {
	CAMPAIGN_EVENT_TYPES,
	EVENT_TYPES,
	callDetailsSchema,
	callEndedSchema,
	campaignActivatedSchema,
	campaignCanceledSchema,
	campaignFinishedSchema,
	campaignPausedSchema,
	campaignResumedSchema,
	campaignSchema,
	customerSchema,
	genericEventSchema,
	isCampaignEvent,
	isKnownEventType,
	parseEvent,
	sipCallerEventSchema,
	type CallDetails,
	type CallEndedEvent,
	type Campaign,
	type CampaignActivatedEvent,
	type CampaignCanceledEvent,
	type CampaignEvent,
	type CampaignEventType,
	type CampaignFinishedEvent,
	type CampaignPausedEvent,
	type CampaignResumedEvent,
	type EventType,
	type GenericEvent,
	type ParsedEvent,
	type SchemaIssue,
	type SipCallerEvent,
} from './events';

export { durationToSeconds, parseGatheredData, toIsoUtc } from './values';

export {
	ANSWER_PREFIX,
	VARIABLE_PREFIX,
	toSimplifiedRow,
	type SimplifiedRow,
} from './simplified-row';

export {
	ALL_EVENTS,
	decide,
	type Decision,
	type Delivery,
	type DeliveryOptions,
	type IgnoreReason,
	type OutputShape,
	type RejectReason,
} from './delivery';

export { DeliveryLedger, type EarlierDelivery } from './dedup';
