import type { z } from 'zod';
import { describe } from '../../schemas/fields.ts';

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

/** Formats a zod issue path the way authors write it: `contacts.dpo.email`, `controls[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
	return path
		.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
		.join('');
}

/**
 * Error map used for every content parse: turns zod's generic messages into "expected X, received Y".
 * Messages set on a schema field itself take precedence over this map.
 */
export const friendlyErrorMap: z.core.$ZodErrorMap = (issue) => {
	switch (issue.code) {
		case 'invalid_type':
			return issue.input === undefined
				? `is required: expected ${article(issue.expected)}, received nothing`
				: `expected ${article(issue.expected)}, received ${describe(issue.input)}`;
		case 'invalid_value':
			return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, received ${describe(issue.input)}`;
		case 'too_small':
			if (issue.origin === 'string') return `expected at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}, received ${describe(issue.input)}`;
			if (issue.origin === 'array') return `expected at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}, received ${(issue.input as unknown[]).length}`;
			return `expected a number of at least ${issue.minimum}, received ${describe(issue.input)}`;
		case 'too_big':
			if (issue.origin === 'string') return `expected at most ${issue.maximum} characters`;
			if (issue.origin === 'array') return `expected at most ${issue.maximum} items`;
			return `expected a number of at most ${issue.maximum}, received ${describe(issue.input)}`;
		case 'invalid_format':
			return `expected ${issue.format} format, received ${describe(issue.input)}`;
		default:
			return undefined;
	}
};

function article(type: string): string {
	if (type === 'array') return 'a list';
	if (type === 'object') return 'a mapping of fields';
	return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Parses `input` with `schema`; on failure returns one Problem per zod issue, with line numbers where `lineOf` knows them. */
export function parseContent<S extends z.ZodType>(
	schema: S,
	input: unknown,
	file: string,
	lineOf: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
): { data: z.output<S>; problems: [] } | { data: undefined; problems: Problem[] } {
	const result = schema.safeParse(input, { error: friendlyErrorMap, reportInput: true });
	if (result.success) return { data: result.data, problems: [] };
	const problems = result.error.issues.flatMap((issue): Problem[] => {
		// One problem per unknown key, pointing at the key's own line.
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map((key) => ({
				severity: 'error',
				file,
				field: formatPath([...issue.path, key]),
				line: lineOf([...issue.path, key]),
				message: 'unknown field',
				hint: 'Check the spelling against the schema in src/schemas/, or remove it.',
			}));
		}
		const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined && issue.path.length > 0;
		return [{
			severity: 'error',
			file,
			field: formatPath(issue.path),
			line: lineOf(issue.path),
			message: issue.message,
			hint: missing ? `Add \`${String(issue.path.at(-1))}:\` to the file.` : undefined,
		}];
	});
	return { data: undefined, problems };
}

/** One line per problem, in the conventional "file:line: **field**: message. hint" form. */
export function formatProblem(problem: Problem): string {
	const where = `${problem.file}${problem.line ? `:${problem.line}` : ''}`;
	const field = problem.field ? ` **${problem.field}**:` : '';
	const hint = problem.hint ? ` ${problem.hint}` : '';
	return `${where}:${field} ${problem.message}.${hint}`;
}

/** A report of every problem, grouped by file, errors before warnings. */
export function formatReport(problems: readonly Problem[]): string {
	const errors = problems.filter((p) => p.severity === 'error');
	const warnings = problems.filter((p) => p.severity === 'warning');
	const sections: string[] = [];
	for (const [label, list] of [['error', errors], ['warning', warnings]] as const) {
		if (list.length === 0) continue;
		const files = [...new Set(list.map((p) => p.file))].sort();
		const lines = files.flatMap((file) => list.filter((p) => p.file === file).map((p) => `  ${formatProblem(p)}`));
		sections.push(`${list.length} content ${label}${list.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}:\n${lines.join('\n')}`);
	}
	return sections.join('\n\n');
}
