/**
 * A small JSON Schema checker for the keywords scripts/output-schemas.js writes (draft 2020-12
 * meaning). A keyword it does not know is an error, not ignored: a schema cannot pass by using
 * something this checker would skip.
 */
export interface JsonSchema {
	type?: string | string[];
	description?: string;
	const?: unknown;
	enum?: unknown[];
	not?: JsonSchema;
	pattern?: string;
	minLength?: number;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	patternProperties?: Record<string, JsonSchema>;
	additionalProperties?: boolean | JsonSchema;
	items?: JsonSchema;
	anyOf?: JsonSchema[];
}

const KEYWORDS = new Set([
	'type',
	'description',
	'const',
	'enum',
	'not',
	'pattern',
	'minLength',
	'properties',
	'required',
	'patternProperties',
	'additionalProperties',
	'items',
	'anyOf',
]);

function typeMatches(type: string, value: unknown): boolean {
	switch (type) {
		case 'null':
			return value === null;
		case 'boolean':
			return typeof value === 'boolean';
		case 'string':
			return typeof value === 'string';
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		case 'integer':
			return Number.isInteger(value);
		case 'array':
			return Array.isArray(value);
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value);
		default:
			throw new Error(`json-schema: unknown type ${type}`);
	}
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Where `value` does not conform to `schema`: one line per problem, `[]` when it conforms. */
export function problems(schema: JsonSchema, value: unknown, path = '$'): string[] {
	for (const keyword of Object.keys(schema)) {
		if (!KEYWORDS.has(keyword))
			throw new Error(`json-schema: unknown keyword ${keyword} at ${path}`);
	}
	const found: string[] = [];
	const fail = (message: string) => found.push(`${path}: ${message}`);
	if (schema.type !== undefined) {
		const types = Array.isArray(schema.type) ? schema.type : [schema.type];
		if (!types.some((type) => typeMatches(type, value))) {
			fail(`expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
			return found;
		}
	}
	if ('const' in schema && !same(schema.const, value))
		fail(`expected ${JSON.stringify(schema.const)}`);
	if (schema.enum && !schema.enum.some((option) => same(option, value))) {
		fail(`expected one of ${JSON.stringify(schema.enum)}, got ${JSON.stringify(value)}`);
	}
	if (schema.not && problems(schema.not, value, path).length === 0) {
		fail(`must not match ${JSON.stringify(schema.not)}`);
	}
	if (typeof value === 'string') {
		if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
			fail(`${JSON.stringify(value)} does not match ${schema.pattern}`);
		}
		if (schema.minLength !== undefined && [...value].length < schema.minLength) {
			fail(`shorter than ${schema.minLength}`);
		}
	}
	if (Array.isArray(value) && schema.items) {
		value.forEach((item, i) => found.push(...problems(schema.items!, item, `${path}[${i}]`)));
	}
	if (typeMatches('object', value)) {
		const record = value as Record<string, unknown>;
		for (const key of schema.required ?? []) {
			if (!(key in record)) fail(`missing ${key}`);
		}
		for (const [key, inner] of Object.entries(record)) {
			const at = `${path}.${key}`;
			let matched = false;
			if (schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, key)) {
				matched = true;
				found.push(...problems(schema.properties[key], inner, at));
			}
			for (const [pattern, patternSchema] of Object.entries(schema.patternProperties ?? {})) {
				if (!new RegExp(pattern, 'u').test(key)) continue;
				matched = true;
				found.push(...problems(patternSchema, inner, at));
			}
			if (matched || schema.additionalProperties === undefined) continue;
			if (schema.additionalProperties === false) fail(`unexpected key ${key}`);
			else if (schema.additionalProperties !== true) {
				found.push(...problems(schema.additionalProperties, inner, at));
			}
		}
	}
	if (schema.anyOf) {
		const each = schema.anyOf.map((branch) => problems(branch, value, path));
		if (!each.some((branchProblems) => branchProblems.length === 0)) {
			fail(
				`matches no branch of anyOf:\n${each.map((p, i) => `  [${i}] ${p.join('; ')}`).join('\n')}`,
			);
		}
	}
	return found;
}

/** The index of the first `anyOf` branch `value` conforms to (-1: none). */
export function matchingBranch(schema: JsonSchema, value: unknown): number {
	return (schema.anyOf ?? []).findIndex((branch) => problems(branch, value).length === 0);
}
