/**
 * The whitepaper prints many pages and entries into one HTML page. Each was written as a page of its
 * own, so their heading ids repeat ("testing", "1-purpose"), and an entry printed under a title of its
 * own would put its `##` headings beside that title instead of under it. These rewrite one rendered body.
 */

/** The id an element of the body printed in `scope` has in the print: `scope--id`. */
export const scopedId = (scope: string, id: string): string => `${scope}--${id}`;

/** Attributes that name other elements by id, as a space-separated list. */
const ID_LISTS = [
	'aria-labelledby',
	'aria-describedby',
	'aria-controls',
	'aria-owns',
	'for',
	'headers',
];

/**
 * Prefixes every id of a rendered body with its scope (see scopedId), and every reference to one of
 * those ids within it: `href="#…"`, `aria-labelledby` and the other id lists, `url(#…)`. References to
 * ids outside the body are left as they are. Astro writes every attribute double-quoted.
 */
export function scopeIds(html: string, scope: string): string {
	const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
	if (ids.size === 0) return html;
	const to = (id: string) => (ids.has(id) ? scopedId(scope, id) : id);
	return html
		.replace(/(\sid=")([^"]+)"/g, (_, attr: string, id: string) => `${attr}${to(id)}"`)
		.replace(
			/(\s(?:xlink:)?href="#)([^"]+)"/g,
			(_, attr: string, id: string) => `${attr}${to(id)}"`,
		)
		.replace(
			new RegExp(`(\\s(?:${ID_LISTS.join('|')})=")([^"]+)"`, 'g'),
			(_, attr: string, list: string) => `${attr}${list.split(/\s+/).map(to).join(' ')}"`,
		)
		.replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${to(id)})`);
}

/**
 * Takes out the link Starlight puts after every heading of a page (`<a class="sl-anchor-link"
 * href="#…">`), which on the web copies the heading's address. In the PDF it would link a heading to
 * itself, and each one makes its heading a link target that Chromium looks for on every page it prints:
 * on the 2,800 pages of the 2,000-page bench site the print took about twice as long with them. An `<a>`
 * holds no other, so each one ends at the first `</a>`.
 */
export const withoutHeadingLinks = (html: string): string =>
	html.replace(/<a class="sl-anchor-link"[^>]*>[\s\S]*?<\/a>/g, '');

/**
 * Moves every heading of a rendered body `by` levels down (an `<h2>` becomes an `<h3>` for `by` 1),
 * at most to `<h6>`, so the body of an entry printed under its own `<h2>` title nests under it.
 */
export function shiftHeadings(html: string, by: number): string {
	if (by === 0) return html;
	const shifted = (level: string) => Math.min(6, Number(level) + by);
	return html
		.replace(
			/<(\/?)h([1-6])\b/g,
			(_, slash: string, level: string) => `<${slash}h${shifted(level)}`,
		)
		.replace(/\blevel-h([1-6])\b/g, (_, level: string) => `level-h${shifted(level)}`);
}
