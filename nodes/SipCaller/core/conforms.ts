/**
 * A zod 3 schema compiled into a plain predicate: true only when `schema.safeParse(value)` would
 * succeed. parseEvent asks it first and runs zod only when it says no (to list the issues), so a
 * conforming event, nearly every event SIP Caller sends, costs one walk of its keys instead of
 * zod's parse (which copies every object it checks: most of the cost of an accepted delivery).
 *
 * The zod schemas stay the one source of truth: the predicate is made from their definitions, for
 * the kinds events.ts uses (object, string with regex / min, number with int, literal, array,
 * record, nullable, unknown). Any other kind or check, or a definition this zod does not have,
 * compiles to nothing, and parseEvent then runs zod on every event, as before. A unit property
 * checks that predicate and safeParse agree on mutated events.
 */
import type { z } from 'zod';

export type Conforms = (value: unknown) => boolean;

/** A zod 3 definition, read loosely: zod does not type `_def` per kind for outside readers. */
interface Def {
	typeName?: string;
	[key: string]: unknown;
}

function defOf(schema: unknown): Def | undefined {
	const def = (schema as { _def?: unknown } | null)?._def;
	return typeof def === 'object' && def !== null ? (def as Def) : undefined;
}

/** What zod 3 parses as an object: JSON's objects (never arrays, dates, maps, promises, ...). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const proto = Object.getPrototypeOf(value);
	if (proto !== Object.prototype && proto !== null) return false;
	return typeof (value as { then?: unknown }).then !== 'function';
}

function compileString(def: Def): Conforms | undefined {
	if (def.coerce) return undefined;
	const regexes: RegExp[] = [];
	let min = 0;
	for (const check of (def.checks as Array<Record<string, unknown>>) ?? []) {
		if (check.kind === 'regex' && check.regex instanceof RegExp) regexes.push(check.regex);
		else if (check.kind === 'min' && typeof check.value === 'number')
			min = Math.max(min, check.value);
		else return undefined;
	}
	if (regexes.length === 0) return (value) => typeof value === 'string' && value.length >= min;
	return (value) => {
		if (typeof value !== 'string' || value.length < min) return false;
		for (let i = 0; i < regexes.length; i++) {
			regexes[i].lastIndex = 0; // as zod does: a /g or /y regex keeps its position between tests
			if (!regexes[i].test(value)) return false;
		}
		return true;
	};
}

function compileNumber(def: Def): Conforms | undefined {
	if (def.coerce) return undefined;
	let int = false;
	for (const check of (def.checks as Array<Record<string, unknown>>) ?? []) {
		if (check.kind === 'int') int = true;
		else return undefined;
	}
	return (value) =>
		typeof value === 'number' && !Number.isNaN(value) && (!int || Number.isInteger(value));
}

function compileObject(def: Def): Conforms | undefined {
	// strict() fails on unknown keys and a catchall checks them: neither is used, neither is handled.
	if (def.unknownKeys === 'strict' || defOf(def.catchall)?.typeName !== 'ZodNever')
		return undefined;
	const shape = typeof def.shape === 'function' ? (def.shape as () => unknown)() : undefined;
	if (typeof shape !== 'object' || shape === null) return undefined;
	const keys: string[] = [];
	const checks: Conforms[] = [];
	for (const [key, schema] of Object.entries(shape)) {
		const check = compile(schema);
		if (!check) return undefined;
		keys.push(key);
		checks.push(check);
	}
	return (value) => {
		if (!isPlainObject(value)) return false;
		// A missing key reads as undefined, as in zod: only a schema that accepts undefined passes it.
		for (let i = 0; i < keys.length; i++) if (!checks[i](value[keys[i]])) return false;
		return true;
	};
}

function compileArray(def: Def): Conforms | undefined {
	if (def.exactLength != null || def.minLength != null || def.maxLength != null) return undefined;
	const item = compile(def.type);
	if (!item) return undefined;
	return (value) => {
		if (!Array.isArray(value)) return false;
		for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
		return true;
	};
}

function compileRecord(def: Def): Conforms | undefined {
	const keyDef = defOf(def.keyType);
	const keyChecks = keyDef?.checks as unknown[] | undefined;
	if (keyDef?.typeName !== 'ZodString' || keyDef.coerce || (keyChecks && keyChecks.length > 0)) {
		return undefined;
	}
	const item = compile(def.valueType);
	if (!item) return undefined;
	return (value) => isPlainObject(value) && Object.keys(value).every((k) => item(value[k]));
}

function compileNullable(def: Def): Conforms | undefined {
	const inner = compile(def.innerType);
	return inner && ((value) => value === null || inner(value));
}

function compileLiteral(def: Def): Conforms | undefined {
	const literal = def.value;
	return (value) => value === literal;
}

/** Compiles a zod 3 schema, or returns undefined when it uses anything not handled here. */
export function compile(schema: z.ZodTypeAny | unknown): Conforms | undefined {
	const def = defOf(schema);
	switch (def?.typeName) {
		case 'ZodString':
			return compileString(def);
		case 'ZodNumber':
			return compileNumber(def);
		case 'ZodObject':
			return compileObject(def);
		case 'ZodArray':
			return compileArray(def);
		case 'ZodRecord':
			return compileRecord(def);
		case 'ZodNullable':
			return compileNullable(def);
		case 'ZodLiteral':
			return compileLiteral(def);
		case 'ZodUnknown':
		case 'ZodAny':
			return () => true;
		default:
			return undefined;
	}
}
