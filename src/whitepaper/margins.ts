import { cssString } from '../lib/brand/css.ts';
import type { Words } from '../lib/words/words.ts';

/** The `{page}` and `{pages}` placeholders of the running footer, as the CSS page counters. */
const COUNTERS: Readonly<Record<string, string>> = {
	page: 'counter(page)',
	pages: 'counter(pages)',
};

/**
 * The CSS custom properties print.css puts in every page's margins, in the site's words: the running
 * header (`--wp-running-header`), the company's name (`--wp-running-company`) and the page numbers
 * (`--wp-running-footer`, "Page 3 of 12" as `"Page " counter(page) " of " counter(pages)`). Every
 * text is a CSS string escaped by cssString, so no quote, backslash or `</style>` in a translation or
 * a company name can end it.
 */
export function marginProperties(company: string, t: Words): string {
	return [
		`--wp-running-header:${cssString(t('whitepaper.runningHeader'))}`,
		`--wp-running-company:${cssString(company)}`,
		`--wp-running-footer:${pageOf(t)}`,
	].join(';');
}

/**
 * `t('whitepaper.pageOf')` as a CSS `content` value: its text as strings around the page counters.
 * Given `pages`, the page count is that number instead of the document's own: for a print of the
 * first pages only, which are to be drawn on a longer document (make.ts).
 */
export function pageOf(t: Words, pages?: number): string {
	const counter = (part: string) =>
		part === 'pages' && pages !== undefined ? cssString(String(pages)) : COUNTERS[part]!;
	const parts = t('whitepaper.pageOf')
		.split(/\{(page|pages)\}/)
		.map((part, i) => (i % 2 === 1 ? counter(part) : part ? cssString(part) : ''))
		.filter(Boolean);
	return parts.length > 0 ? parts.join(' ') : '""';
}
