import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, formatPath } from '../../schemas/messages.ts';
import type { SiteSettings } from '../../schemas/site.ts';
import { walkFiles } from '../files.ts';
import { DOCS_SUBDIR, EXAMPLE_DIR, FAVICON, PUBLIC_SUBDIR } from './dir.ts';
import {
	COLLECTIONS,
	frontmatterOf,
	SITE_FILE,
	sourceReader,
	type Source,
	type SourceReader,
} from './load.ts';
import { stringsOf, type Problem } from './problems.ts';

/** The marker `npm run init` puts wherever the team has to write their own text. */
export const TODO_MARKER = 'TODO';
/** The domain of the starter's placeholder addresses (RFC 2606): `https://trust.example.com`, `security@example.com`. */
export const EXAMPLE_DOMAIN = 'example.com';

/**
 * The example company of `examples/kestrel-ledger/` (its site.yaml's companyName, and the domain of its
 * addresses): text that names it in the team's own content was copied from the example.
 */
export const EXAMPLE_COMPANY = { name: 'Kestrel Ledger', domain: 'kestrelledger.example' } as const;

const TODO = new RegExp(`\\b${TODO_MARKER}\\b`);
const COPIED = new RegExp(
	`\\b${EXAMPLE_COMPANY.name.replace(' ', '\\s+')}\\b|${EXAMPLE_COMPANY.domain.replace('.', '\\.')}`,
	'i',
);
// The domain itself or any subdomain, in a URL or an e-mail address; not a longer name that ends in it.
const EXAMPLE = new RegExp(`(^|[/@.])${EXAMPLE_DOMAIN.replace('.', '\\.')}\\b`, 'i');
/** Files of the content folder outside the collections that carry text. */
const OTHER_FILES = [SITE_FILE, 'nda.mdx', 'access-rules.yaml'];

/**
 * The starter's placeholders still in place, as warnings naming the file, line and field: a TODO in a
 * field or in the text, an address at the example domain, text that names the example company (copied
 * from examples/kestrel-ledger/, outside it), and the placeholder logo or favicon. Strict mode turns
 * them into errors, so a placeholder never reaches a published site unnoticed.
 */
export function findPlaceholders(
	root: string,
	contentDir: string,
	site: SiteSettings,
	read = sourceReader(root),
): Problem[] {
	const base = join(root, contentDir);
	const sources = [
		...OTHER_FILES.map((name) => join(base, name)).filter((path) => existsSync(path)),
		...[...Object.values(COLLECTIONS).map((c) => c.dir), DOCS_SUBDIR].flatMap((dir) =>
			walkFiles(join(base, dir), (name) => /\.(ya?ml|mdx?)$/.test(name)),
		),
	];
	return [
		...sources.flatMap((path) =>
			inSource(relative(root, path), read(path), contentDir !== EXAMPLE_DIR),
		),
		...placeholderImages(root, contentDir, site, read),
	];
}

/**
 * Placeholders in one YAML or Markdown file: in its fields, then in its text; `copies` also looks for
 * the example company's name and domain.
 */
function inSource(file: string, { text, parsed }: Source, copies: boolean): Problem[] {
	const markdown = /\.mdx?$/.test(file);
	// A file that does not parse is reported by the content check itself.
	if (!parsed.ok) return [];
	const problems = stringsOf(parsed.value).flatMap(({ path, value }): Problem[] => {
		const at = { file, field: formatPath(path), line: parsed.lineOf(path) };
		if (TODO.test(value))
			return [
				{
					severity: 'warning',
					...at,
					message: `still a placeholder: ${describe(value)}`,
					hint: `Write your own text in place of the ${TODO_MARKER}.`,
				},
			];
		if (EXAMPLE.test(value))
			return [
				{
					severity: 'warning',
					...at,
					message: `${describe(value)} is at ${EXAMPLE_DOMAIN}, the starter's placeholder domain`,
					hint: 'Put your own address here.',
				},
			];
		if (copies && COPIED.test(value))
			return [
				{
					severity: 'warning',
					...at,
					message: `${describe(value)} ${NAMES_EXAMPLE}`,
					hint: COPIED_HINT,
				},
			];
		return [];
	});
	return markdown ? [...problems, ...inText(file, text, copies)] : problems;
}

const NAMES_EXAMPLE = `names ${EXAMPLE_COMPANY.name} (${EXAMPLE_COMPANY.domain}), the example company`;
const COPIED_HINT = `It was copied from ${EXAMPLE_DIR}/: write your own company's text in its place.`;

/**
 * TODO markers (and, with `copies`, the example company) in the text of a Markdown file, outside its
 * frontmatter and comments (which are never published).
 */
function inText(file: string, text: string, copies: boolean): Problem[] {
	const split = frontmatterOf(text);
	const frontmatter = split.ok ? text.slice(0, split.length) : '';
	// Comments are blanked, keeping their line breaks, so line numbers stay right.
	const body = text
		.slice(frontmatter.length)
		.replace(/\{\/\*[\s\S]*?\*\/\}|<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ''));
	const firstLine = frontmatter.split('\n').length;
	const lines = body.split('\n');
	// The example company's name may wrap ("Kestrel\nLedger"): it is looked for in the whole text, and
	// each line where it starts is named once.
	const copiedLines = new Set(
		copies
			? [...body.matchAll(new RegExp(COPIED.source, 'gi'))].map(
					(m) => body.slice(0, m.index).split('\n').length - 1,
				)
			: [],
	);
	return lines.flatMap((line, i): Problem[] => {
		const at = { severity: 'warning' as const, file, field: '', line: firstLine + i };
		if (TODO.test(line))
			return [
				{
					...at,
					message: `the text is still a placeholder: ${describe(line.trim())}`,
					hint: `Write your own text in place of the ${TODO_MARKER}.`,
				},
			];
		if (copiedLines.has(i))
			return [
				{
					...at,
					message: `the text ${NAMES_EXAMPLE}: ${describe(line.trim())}`,
					hint: COPIED_HINT,
				},
			];
		return [];
	});
}

/** The logo and favicon when they are still the starter's placeholder images (which carry a TODO comment). */
function placeholderImages(
	root: string,
	contentDir: string,
	site: SiteSettings,
	read: SourceReader,
): Problem[] {
	const file = `${contentDir}/${SITE_FILE}`;
	const settings = read(join(root, file)).parsed;
	const images: [field: string, path: string][] = [
		['logo.light', site.logo.light],
		...(site.logo.dark ? [['logo.dark', site.logo.dark] as [string, string]] : []),
		['', FAVICON],
	];
	return images.flatMap(([field, path]): Problem[] => {
		const full = join(root, contentDir, PUBLIC_SUBDIR, path);
		if (!full.endsWith('.svg') || !existsSync(full) || !TODO.test(readFileSync(full, 'utf8')))
			return [];
		const shown = `${contentDir}/${PUBLIC_SUBDIR}${path}`;
		return [
			field
				? {
						severity: 'warning',
						file,
						field,
						line: settings.ok ? settings.lineOf(field.split('.')) : undefined,
						message: `${shown} is still the starter's placeholder logo`,
						hint: `Put your own logo in ${contentDir}/${PUBLIC_SUBDIR}/ and name it here.`,
					}
				: {
						severity: 'warning',
						file: shown,
						field: '',
						message: "still the starter's placeholder icon",
						hint: 'Replace it with your own favicon.',
					},
		];
	});
}
