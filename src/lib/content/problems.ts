import type { z } from 'zod';
import { formatPath, parseFriendly, type FieldIssue } from '../../schemas/messages.ts';

/** One thing wrong (or worth a warning) in the security team's content. */
export interface Problem {
	/** error fails the build; warning is printed (and fails the build in strict mode). */
	severity: 'error' | 'warning';
	/** Path of the file relative to the project root, e.g. `content/policies/access-control.mdx`. */
	file: string;
	/** Field path inside the file, e.g. `controls[2]`; empty when the problem is the whole file. */
	field: string;
	/** 1-based line of the field, when known. */
	line?: number | undefined;
	/** What is wrong: expected versus received. */
	message: string;
	/** How to fix it. */
	hint?: string | undefined;
}

/** How to fix a field problem of `file`, for the kinds of problem that have one answer. */
function hintFor(issue: FieldIssue, file: string): string | undefined {
	const key = String(issue.path.at(-1));
	switch (issue.kind) {
		case 'unknown':
			return 'Check the spelling against the schema in src/schemas/, or remove it.';
		case 'missing':
			return file.endsWith('.json') ? `Add "${key}" to the file.` : `Add \`${key}:\` to the file.`;
		case 'empty':
			return issue.message.startsWith('expected a list')
				? `Write the items under \`${key}:\`, each on its own "- " line, or \`${key}: []\` for none.`
				: `Write a value after \`${key}:\`.`;
		case 'number-for-text':
			// YAML reads 1.10 as the number 1.1: by the time the schema sees it, how it was written is lost.
			return 'Write it in quotes, like "1.10": without them, YAML reads a value like 1.10 as a number and drops digits.';
		default:
			return undefined;
	}
}

/** Parses `input` with `schema`; on failure returns one Problem per field problem, with line numbers where `lineOf` knows them. */
export function parseContent<S extends z.ZodType>(
	schema: S,
	input: unknown,
	file: string,
	lineOf: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
): { data: z.output<S>; problems: [] } | { data: undefined; problems: Problem[] } {
	const result = parseFriendly(schema, input, 'unknown field');
	if (result.ok) return { data: result.data, problems: [] };
	// An unknown key points at the key's own line.
	const problems = result.issues.map((issue): Problem => ({
		severity: 'error',
		file,
		field: formatPath(issue.path),
		line: lineOf(issue.path),
		message: issue.message,
		hint: hintFor(issue, file),
	}));
	return { data: undefined, problems };
}

/** Every string in a parsed value, with its field path, e.g. `[{ path: ['contacts', 'security'], value: '…' }]`. */
export function stringsOf(
	value: unknown,
	path: PropertyKey[] = [],
): { path: PropertyKey[]; value: string }[] {
	if (typeof value === 'string') return [{ path, value }];
	if (Array.isArray(value)) return value.flatMap((item, i) => stringsOf(item, [...path, i]));
	if (value && typeof value === 'object')
		return Object.entries(value).flatMap(([key, item]) => stringsOf(item, [...path, key]));
	return [];
}
