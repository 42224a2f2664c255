// The one path from zod issues to the messages people read: how a received value is described, the
// error map that says "expected X, received Y", field paths as authors write them, and a parse that
// returns one entry per field problem. The content check and the gate's 400 answers both use it;
// schema fields word their own messages with describe(). The authors' own values are quoted back to them;
// a stranger's request is not (`strangers`): its answer is drawn on our pages, and must not carry words
// another site chose.
import type { z } from 'zod';

/** The kind of a received value, without the value: for input from strangers, which is not echoed back. */
export function describeKind(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return typeof value;
}

/** Short, readable description of a received value for error messages. */
export function describe(value: unknown): string {
	if (value instanceof Date)
		return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString().slice(0, 10);
	if (typeof value === 'string')
		return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
	if (value === undefined || value === null || typeof value === 'object')
		return describeKind(value);
	return `${typeof value} ${String(value)}`;
}

/** Formats a zod issue path the way authors write it: `contacts.dpo.email`, `controls[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path
		.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
		.join('');
}

/** A field as `formatPath` writes it (`documents[0]`, `contacts.dpo.email`), as a path again. */
export function parsePath(field: string): PropertyKey[] {
	return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map(([, key, index]) =>
		index === undefined ? key! : Number(index),
	);
}

/**
 * An error map that turns zod's generic messages into "expected X, received Y", Y said by `received`
 * (nothing when it gives ''). Messages set on a schema field itself take precedence over the map.
 */
function errorMap(received: (value: unknown) => string): z.core.$ZodErrorMap {
	const saying = (value: unknown) => {
		const said = received(value);
		return said ? `, received ${said}` : '';
	};
	return (issue) => {
		switch (issue.code) {
			case 'invalid_type':
				if (issue.input === undefined)
					return `is required: expected ${article(issue.expected)}, received nothing`;
				// A key written with nothing after it (`people:`), which YAML and JSON read as null.
				if (issue.input === null) return `expected ${article(issue.expected)}, received no value`;
				// The kind alone, even for a stranger's value: it says what is wrong without quoting it.
				return `expected ${article(issue.expected)}, received ${received(issue.input) || describeKind(issue.input)}`;
			case 'invalid_value':
				return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}${saying(issue.input)}`;
			case 'too_small':
				if (issue.origin === 'string')
					return `expected at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}${saying(issue.input)}`;
				if (issue.origin === 'array')
					return `expected at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}, received ${(issue.input as unknown[]).length}`;
				return `expected a number of at least ${issue.minimum}${saying(issue.input)}`;
			case 'too_big':
				if (issue.origin === 'string') return `expected at most ${issue.maximum} characters`;
				if (issue.origin === 'array') return `expected at most ${issue.maximum} items`;
				return `expected a number of at most ${issue.maximum}${saying(issue.input)}`;
			case 'invalid_format':
				return `expected ${issue.format} format${saying(issue.input)}`;
			default:
				return undefined;
		}
	};
}

/** The error map of every parse of the authors' own content and commands: it quotes what they wrote. */
export const friendlyErrorMap = errorMap(describe);

/** The error map of requests from strangers: it says what was expected, never what was received. */
const strangersErrorMap = errorMap(() => '');

function article(type: string): string {
	if (type === 'array') return 'a list';
	if (type === 'int') return 'a whole number';
	if (type === 'object') return 'a mapping of fields';
	if (type === 'record') return 'a mapping of keys to values (key: value lines)';
	return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** One problem with one field. */
export interface FieldIssue {
	/** Where: the field's path; for an unknown key, the key itself is its last part. */
	path: PropertyKey[];
	/** What is wrong, expected versus received. */
	message: string;
	/**
	 * `unknown`: a key the schema does not have; `missing`: a required field that is not there;
	 * `empty`: a key with no value (null); `number-for-text`: a number where text belongs (in YAML, a
	 * value like 1.10 without quotes).
	 */
	kind: 'unknown' | 'missing' | 'empty' | 'number-for-text' | 'invalid';
}

/**
 * Parses `input` with `schema` and the friendly messages. On failure, one entry per problem: each
 * unknown key is its own entry, with `unknownKey` as its message. For a request from a stranger (the
 * public forms: `strangers`), the messages say what was expected and never quote what was received.
 */
export function parseFriendly<S extends z.ZodType>(
	schema: S,
	input: unknown,
	unknownKey: string,
	{ strangers = false }: { strangers?: boolean } = {},
): { ok: true; data: z.output<S> } | { ok: false; issues: FieldIssue[] } {
	const result = schema.safeParse(input, {
		error: strangers ? strangersErrorMap : friendlyErrorMap,
		reportInput: true,
	});
	if (result.success) return { ok: true, data: result.data };
	const issues = result.error.issues.flatMap((issue): FieldIssue[] => {
		if (issue.code === 'unrecognized_keys')
			return issue.keys.map((key) => ({
				path: [...issue.path, key],
				message: unknownKey,
				kind: 'unknown',
			}));
		const missing =
			issue.code === 'invalid_type' &&
			(issue as { input?: unknown }).input === undefined &&
			issue.path.length > 0;
		// A key written with no value (`people:`), which YAML reads as null.
		const empty =
			issue.code === 'invalid_type' &&
			(issue as { input?: unknown }).input === null &&
			issue.path.length > 0;
		const numberForText =
			issue.code === 'invalid_type' &&
			issue.expected === 'string' &&
			typeof (issue as { input?: unknown }).input === 'number';
		return [
			{
				path: issue.path,
				message: issue.message,
				kind: missing ? 'missing' : empty ? 'empty' : numberForText ? 'number-for-text' : 'invalid',
			},
		];
	});
	return { ok: false, issues };
}
