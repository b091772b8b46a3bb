#!/usr/bin/env node
'use strict';
/**
 * Sends one signed SIP Caller event to a webhook URL, as SIP Caller would.
 *
 *   npx sip-caller-send CallEnded --url https://n8n.example.com/webhook/<id>/webhook --secret <hex>
 *   npm run send -- CallEnded --url ...     (from a clone of n8n-nodes-sip-caller)
 *
 * The signer (lib/signature.js) is the trigger's own, compiled from nodes/SipCaller/core, and the
 * samples are SIP Caller's documented payloads (test/fixtures); both are put in by the repo's
 * `npm run build:sender`. This is a package of its own, not a bin of the node package, because n8n's
 * community-package scanner lints every .js file a node package ships with the node rules (no
 * `process`, no `fs`), which a command-line tool cannot follow.
 *
 * Options:
 *   <EventType>          one of the documented events; its sample payload (samples/) is sent
 *   --url <url>          the trigger's Production (or Test) URL                     (required)
 *   --secret <hex>       the webhook's signing secret (required, or set SIP_CALLER_SIGNING_SECRET
 *                        to keep it out of the shell history and the process list)
 *   --file <path>        send this JSON file instead of the sample payload
 *   --as-is              send the payload byte for byte (default: a fresh event id and createdAt,
 *                        so that every send is a new event)
 *   --timestamp <secs>   sign with this `t` (default: now); e.g. an old one to see the age check
 *   --content-type <ct>  default application/json
 * Prints the HTTP status and the answer; exits 0 on 2xx, 1 otherwise.
 */
const { readdirSync, readFileSync } = require('fs');
const { join } = require('path');

const core = require('./lib/signature');
const { uuidv7 } = require('./lib/uuid');

const SAMPLES_DIR = join(__dirname, 'samples');
/** The documented event types: one sample each. */
const EVENT_TYPES = readdirSync(SAMPLES_DIR)
	.filter((name) => name.endsWith('.json'))
	.map((name) => name.slice(0, -'.json'.length))
	.sort();
const USAGE_NAME =
	process.env.npm_lifecycle_event === 'send' ? 'npm run send --' : 'sip-caller-send';

function usage(message) {
	if (message) process.stderr.write(`send: ${message}\n`);
	process.stderr.write(
		`usage: ${USAGE_NAME} <${EVENT_TYPES.join('|')}> --url <webhook URL> --secret <hex> [--file <json>] [--as-is] [--timestamp <unix seconds>]\n`,
	);
	process.exit(2);
}

function parseArgs(argv) {
	const args = { flags: {}, positional: [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--as-is' || arg === '--help' || arg === '-h')
			args.flags[arg.replace(/^-+/, '')] = true;
		else if (arg.startsWith('--')) {
			if (i + 1 >= argv.length) usage(`${arg} needs a value`);
			args.flags[arg.slice(2)] = argv[++i];
		} else args.positional.push(arg);
	}
	return args;
}

/**
 * Why a --secret value is not a signing secret, without repeating it (it may be a real secret
 * with a typo): where the first character that is not a hex digit is, or that the count is odd.
 */
function secretProblem(from, secret) {
	const trimmed = secret.trim();
	const bad = trimmed.search(/[^0-9a-fA-F]/);
	const why =
		bad >= 0
			? `character ${bad + 1} of ${trimmed.length} is not a hexadecimal digit`
			: `it has ${trimmed.length} hexadecimal digits, an odd number`;
	return `the ${from} value is not a SIP Caller signing secret (${why}). Copy the webhook's signing secret from SIP Caller > Settings > Webhooks: hexadecimal digits 0-9 and a-f, 64 of them, the same as in the n8n credential.`;
}

/** SIP Caller's way of writing a UTC time: no zone, milliseconds. */
function naiveUtc(date) {
	return date.toISOString().replace('Z', '');
}

/** The body to send: the sample (or --file), with a fresh id and createdAt unless --as-is. */
function buildBody(type, flags) {
	const path = flags.file ?? join(SAMPLES_DIR, `${type}.json`);
	const raw = readFileSync(path);
	if (flags['as-is']) return raw;
	let event;
	try {
		event = JSON.parse(raw.toString('utf8'));
	} catch (error) {
		usage(`${path} is not JSON: ${error.message}`);
	}
	if (event && typeof event === 'object' && !Array.isArray(event)) {
		event.id = uuidv7();
		event.createdAt = naiveUtc(new Date());
	}
	return Buffer.from(JSON.stringify(event, null, 2));
}

async function main() {
	const { flags, positional } = parseArgs(process.argv.slice(2));
	if (flags.help || flags.h) usage();
	const [type] = positional;
	if (!type && !flags.file) usage('name an event type or give --file');
	if (type && !flags.file && !EVENT_TYPES.includes(type)) usage(`unknown event type ${type}`);
	if (!flags.url) usage('--url is required');
	const secretFrom = flags.secret === undefined ? 'SIP_CALLER_SIGNING_SECRET' : '--secret';
	flags.secret ??= process.env.SIP_CALLER_SIGNING_SECRET;
	if (!flags.secret || !flags.secret.trim())
		usage('--secret (or SIP_CALLER_SIGNING_SECRET) is required');
	if (!core.isValidSigningSecret(flags.secret)) usage(secretProblem(secretFrom, flags.secret));
	const timestamp =
		flags.timestamp === undefined ? Math.floor(Date.now() / 1000) : Number(flags.timestamp);
	if (!Number.isSafeInteger(timestamp) || timestamp < 0)
		usage('--timestamp must be whole Unix seconds');

	const body = buildBody(type, flags);
	const signature = core.signPayload(body, flags.secret, timestamp);
	const response = await fetch(flags.url, {
		method: 'POST',
		headers: {
			'Content-Type': flags['content-type'] ?? 'application/json',
			[core.SIGNATURE_HEADER]: signature,
		},
		body,
	});
	const text = await response.text();
	process.stdout.write(`${response.status} ${response.statusText}\n${text}\n`);
	process.exit(response.ok ? 0 : 1);
}

main().catch((error) => {
	process.stderr.write(`send: ${error.cause?.message ?? error.message}\n`);
	process.exit(1);
});
