/**
 * The SIP Caller core: signature verification, typed events, output shaping and the decision for
 * one delivery. No n8n import anywhere below this folder, so it runs in any Node program:
 * `const { verifySignature, parseEvent } = require('n8n-nodes-sip-caller')`.
 */
export * from './signature';
export * from './events';
export * from './shaping';
export * from './delivery';
export * from './dedup';
export * from './api';
