import type { Problem } from '../content/problems.ts';

/** One line per problem, in the conventional "file:line: **field**: message. hint" form. */
export function formatProblem(problem: Problem): string {
	const where = `${problem.file}${problem.line ? `:${problem.line}` : ''}`;
	const field = problem.field ? ` **${problem.field}**:` : '';
	const hint = problem.hint ? ` ${problem.hint}` : '';
	return `${where}:${field} ${problem.message}.${hint}`;
}

/**
 * A report for a terminal: the field names' Markdown emphasis (`**field**`, which Astro's error overlay
 * shows in bold) taken out.
 */
export const plainText = (report: string): string => report.replace(/\*\*([^*\n]+)\*\*/g, '$1');

/** A report of every problem, grouped by file, errors before warnings. */
export function formatReport(problems: readonly Problem[]): string {
	const errors = problems.filter((p) => p.severity === 'error');
	const warnings = problems.filter((p) => p.severity === 'warning');
	const sections: string[] = [];
	for (const [label, list] of [
		['error', errors],
		['warning', warnings],
	] as const) {
		if (list.length === 0) continue;
		const files = [...new Set(list.map((p) => p.file))].sort();
		const lines = files.flatMap((file) =>
			list.filter((p) => p.file === file).map((p) => `  ${formatProblem(p)}`),
		);
		sections.push(
			`${list.length} content ${label}${list.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
		);
	}
	return sections.join('\n\n');
}

/**
 * What the build says when the content has problems: a headline, every problem grouped by file, and why
 * warnings failed: `strictIn` is the settings file whose `strict: true` made them errors, if it did.
 */
export function formatContentFailure(
	problems: readonly Problem[],
	strictIn: string | undefined,
): string {
	return `The trust center content has problems. Fix them and build again.\n\n${formatReport(problems)}${strictIn ? `\n\n(strict: true in ${strictIn} turns warnings into errors.)` : ''}`;
}
