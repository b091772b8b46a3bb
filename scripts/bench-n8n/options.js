// @ts-check
'use strict';
/**
 * The bench's command line (--engines, --rounds, --requests, --concurrency, --kinds, --shapes,
 * --baseline; the defaults are in run.js's header), its fixed sizes (warm-up, the cap per variant)
 * and the engines: one n8n each, with its environment and the variants it runs (the base* kinds
 * only with --baseline).
 */
const { ALL_KINDS: OWN_KINDS, ALL_BASE_KINDS } = require('./variants');

/** @typedef {import('./variants').Kind} Kind */
/** @typedef {import('./variants').Shape} Shape */
/**
 * @typedef {object} Engine
 * @property {string} name
 * @property {string} title
 * @property {Record<string, string>} env
 * @property {Kind[]} kinds
 * @property {Shape[]} shapes
 * @property {number} requests  per round (the default --requests, or fewer for vm-eager)
 */

const MAX_REQUESTS_PER_VARIANT = 2000;
const WARM_UP = 20;

const args = process.argv.slice(2);
/** @param {string} name @param {string} fallback */
const arg = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const ROUNDS = Number(arg('rounds', '9'));
const REQUESTS = Number(arg('requests', '50'));
const CONCURRENCY = Number(arg('concurrency', '10'));
const ENGINE_NAMES = arg('engines', 'vm,legacy,vm-eager').split(',');
/** Only these variants / shapes (a quick look; the targets need the defaults). */
const ONLY_KINDS = arg('kinds', '').split(',').filter(Boolean);
const ONLY_SHAPES = arg('shapes', '').split(',').filter(Boolean);
/** A git ref whose package runs beside the current one (the base* kinds); '' for none. */
const BASELINE = arg('baseline', '');
/** The kinds this run knows: ours, and with --baseline the baseline's. */
const ALL_KINDS = BASELINE ? [...OWN_KINDS, ...ALL_BASE_KINDS] : OWN_KINDS;

/** @type {Record<string, Engine>} */
const ENGINES = {
	vm: {
		name: 'vm',
		title: '`vm` (the default engine) with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		kinds: ALL_KINDS,
		shapes: ['trigger', 'http'],
		requests: REQUESTS,
	},
	legacy: {
		name: 'legacy',
		title: 'N8N_EXPRESSION_ENGINE=legacy',
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		kinds: ALL_KINDS.filter((kind) => kind !== 'v1'),
		shapes: ['trigger', 'http'],
		requests: REQUESTS,
	},
	'vm-eager': {
		name: 'vm-eager',
		title: '`vm` as n8n ships it (no lazy acquire): a few trigger-only variants',
		env: {},
		kinds: ALL_KINDS.filter((kind) =>
			[
				'webhook',
				'minimal',
				'minimalCred',
				'simplified',
				'ignored',
				'baseSimplified',
				'baseIgnored',
			].includes(kind),
		),
		shapes: ['trigger'],
		// ~24 req/s for every community trigger here: fewer requests keep the run short.
		requests: Math.max(20, Math.round(REQUESTS / 2)),
	},
};

/**
 * The engines --engines names, in its order; throws on a run over the cap or an unknown engine,
 * kind or shape.
 * @returns {Engine[]}
 */
function selectedEngines() {
	if (ROUNDS * REQUESTS > MAX_REQUESTS_PER_VARIANT)
		throw new Error(
			`--rounds × --requests = ${ROUNDS * REQUESTS}: at most ${MAX_REQUESTS_PER_VARIANT} per variant`,
		);
	if (args.includes('--baseline') && (!BASELINE || BASELINE.startsWith('--')))
		throw new Error('--baseline needs a git ref (e.g. --baseline HEAD~1)');
	const unknownKind = ONLY_KINDS.find((kind) => !ALL_KINDS.includes(/** @type {Kind} */ (kind)));
	if (unknownKind)
		throw new Error(
			ALL_BASE_KINDS.includes(/** @type {import('./variants').BaseKind} */ (unknownKind))
				? `kind ${unknownKind} needs --baseline <git-ref>`
				: `unknown kind ${unknownKind} (${ALL_KINDS.join(', ')})`,
		);
	const unknownShape = ONLY_SHAPES.find((shape) => !['trigger', 'http'].includes(shape));
	if (unknownShape) throw new Error(`unknown shape ${unknownShape} (trigger, http)`);
	return ENGINE_NAMES.map((name) => {
		const engine = ENGINES[name];
		if (!engine) throw new Error(`unknown engine ${name} (vm, legacy, vm-eager)`);
		return engine;
	});
}

module.exports = {
	WARM_UP,
	ROUNDS,
	REQUESTS,
	CONCURRENCY,
	ONLY_KINDS,
	ONLY_SHAPES,
	BASELINE,
	selectedEngines,
};
