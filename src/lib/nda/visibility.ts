/**
 * "Is this NDA-only?", answered once for every kind of content. The public edition leaves out what
 * these say is NDA-only, the whitepaper marks it, the leak guard looks for it in the public build,
 * and the link check refuses public links to it.
 */
import { formatPath } from '../../schemas/messages.ts';
import { stringsOf, type Problem } from '../content/problems.ts';
import { lineAt } from '../content/mdx-body.ts';

/** The MDX element whose body is shared only under NDA: `<NdaOnly public="…">…</NdaOnly>`. */
export const NDA_ELEMENT = 'NdaOnly';

/** A page or entry with `visibility: nda`: all of it is NDA-only, title included. */
export function isNdaPage(data: unknown): boolean {
	return (data as { visibility?: unknown } | undefined)?.visibility === 'nda';
}

/** A policy with `classification: nda`: its title and summary are public, its body is NDA-only. */
export function isNdaBody(data: unknown): boolean {
	return (data as { classification?: unknown } | undefined)?.classification === 'nda';
}

/** A subprocessor with a `publicDescriptor`: the descriptor stands in for its name and website, which are NDA-only. */
export function isNdaName<S extends { publicDescriptor?: string | undefined }>(
	subprocessor: S,
): subprocessor is S & { publicDescriptor: string } {
	return subprocessor.publicDescriptor !== undefined;
}

/** A document with `access: nda`: listed in public, its file shared only through the access gate. */
export function isNdaDocument(document: { access: string }): boolean {
	return document.access === 'nda';
}

/** The status of each control is NDA-only unless the site sets `controlStatus.publicControlList: true`. */
export function isNdaControlList(site: { controlStatus: { publicControlList: boolean } }): boolean {
	return !site.controlStatus.publicControlList;
}

/** One `<NdaOnly>` block: its body and the line it starts on (within the file). */
export interface NdaBlock {
	text: string;
	line: number;
}

/**
 * The attributes of an opening tag: quoted values and `{…}` expressions (which may hold quoted text) are
 * taken whole, so a ">" inside `public="Availability > 99.9%"` does not end the tag.
 */
const ATTRIBUTES = `(?:"[^"]*"|'[^']*'|\\{(?:"[^"]*"|'[^']*'|\`[^\`]*\`|[^{}"'\`])*\\}|[^>"'{])*?`;

const NDA_BLOCK = new RegExp(
	`<${NDA_ELEMENT}\\b${ATTRIBUTES}(?:\\/>|>([\\s\\S]*?)<\\/${NDA_ELEMENT}\\s*>)`,
	'g',
);

/** The bodies of the `<NdaOnly>` blocks of a Markdown body that starts on line `bodyLine` of its file. */
export function ndaBlocks(page: { body: string; bodyLine: number }): NdaBlock[] {
	return [...page.body.matchAll(NDA_BLOCK)]
		.filter((m) => m[1])
		.map((m) => ({
			text: m[1]!,
			line: lineAt(page.body, page.bodyLine, m.index),
		}));
}

/** A Markdown body as the public edition renders it: `<NdaOnly>` bodies removed. */
export function publicBody(page: { body: string }): string {
	return page.body.replace(NDA_BLOCK, '');
}

/** Whether any text of a page or entry is NDA-only: all of it, its body, or an `<NdaOnly>` block in it. */
export function hasNdaText(entry: { data: unknown; body?: string | undefined }): boolean {
	return (
		isNdaPage(entry.data) ||
		isNdaBody(entry.data) ||
		ndaBlocks({ body: entry.body ?? '', bodyLine: 1 }).length > 0
	);
}

/** Code, where `<NdaOnly>` is shown as written and never rendered: fenced blocks and inline spans. */
const CODE = /^(```|~~~)[\s\S]*?^\1|`[^`\n]+`/gm;

/** A Markdown body's lines with its code blanked (line breaks kept, so line numbers stay right): what renders. */
export function renderedLines(body: string): string[] {
	return body.replace(CODE, (code) => code.replace(/[^\n]/g, '')).split('\n');
}

/**
 * `<NdaOnly>` where it is no MDX element, so nothing leaves its text out of the public edition: in the
 * body of a `.md` file (Markdown passes the tag through as HTML, its text included) or in a frontmatter
 * value (published as text). One error for each, with its line or field. And in an `.mdx` body that
 * does not import it, which MDX fails on with no line: one error, at its first use.
 */
export function misplacedNdaElements(page: {
	file: string;
	body: string;
	bodyLine: number;
	data: unknown;
}): Problem[] {
	const problems: Problem[] = [];
	const tag = new RegExp(`<${NDA_ELEMENT}\\b`);
	const lines = renderedLines(page.body);
	const used = lines.findIndex((line) => tag.test(line));
	// One import statement naming it among its braces (MDX's imports need no semicolon).
	const imported = new RegExp(`^import\\s*\\{[^}]*\\b${NDA_ELEMENT}\\b[^}]*\\}\\s*from\\b`, 'm');
	if (page.file.endsWith('.mdx') && used >= 0 && !imported.test(page.body))
		problems.push({
			severity: 'error',
			file: page.file,
			field: '',
			line: page.bodyLine + used,
			message: `<${NDA_ELEMENT}> is used but not imported, and MDX cannot build the page without it`,
			hint: `Add import { ${NDA_ELEMENT} } from '@trust/mdx'; at the top of the body, below the frontmatter.`,
		});
	if (page.file.endsWith('.md')) {
		lines.forEach((line, i) => {
			if (tag.test(line))
				problems.push({
					severity: 'error',
					file: page.file,
					field: '',
					line: page.bodyLine + i,
					message: `<${NDA_ELEMENT}> works only in .mdx files: in a .md file it is published as written, its NDA-only text included`,
					hint: `Rename the file to .mdx, with import { ${NDA_ELEMENT} } from '@trust/mdx'; at the top of its body.`,
				});
		});
	}
	for (const { path, value } of stringsOf(page.data))
		if (tag.test(value))
			problems.push({
				severity: 'error',
				file: page.file,
				field: formatPath(path),
				message: `<${NDA_ELEMENT}> works only in the body of an .mdx file: a frontmatter value is published as written`,
				hint: `Move the NDA-only text into the body, inside <${NDA_ELEMENT}>, or leave it out.`,
			});
	return problems;
}
