// What the MDX compiler refuses in a page's body, found by the content check with the file and line
// instead of a minute into the build, with a stack trace from Astro's chunks.
import type { Problem } from './problems.ts';
import type { SourcePage } from './source-pages.ts';

/**
 * `body` with its fenced code blocks and its code spans on one line blanked (their lines kept): code is
 * shown, not read.
 */
export const withoutCode = (body: string) =>
	body
		.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, (block) =>
			block.replace(/[^\n]/g, ''),
		)
		.replace(/(`+)[^`\n]+?\1/g, (span) => ' '.repeat(span.length));

/** The line of its file that `index` of a page's `body` falls on, the body starting on line `bodyLine`. */
export const lineAt = (body: string, bodyLine: number, index: number | undefined): number =>
	bodyLine + (body.slice(0, index).match(/\n/g)?.length ?? 0);

/**
 * HTML comments (`<!-- … -->`) in an MDX page, outside code: Markdown allows them, the MDX compiler
 * refuses the page. One error each, at its line.
 */
export function htmlCommentsInMdx(page: Pick<SourcePage, 'file' | 'body' | 'bodyLine'>): Problem[] {
	if (!page.file.endsWith('.mdx')) return [];
	const body = withoutCode(page.body);
	return [...body.matchAll(/<!--/g)].map((match) => ({
		severity: 'error',
		file: page.file,
		field: 'body',
		line: lineAt(body, page.bodyLine, match.index),
		message: 'has an HTML comment (<!-- … -->), which an MDX page cannot hold',
		hint: 'Write the comment as {/* … */}, which MDX leaves out of the page, or remove it.',
	}));
}
