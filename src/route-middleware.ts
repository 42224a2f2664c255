import { defineRouteMiddleware, type StarlightRouteData } from '@astrojs/starlight/route-data';
import { getWords } from './collections.ts';
import { isNdaEdition } from './lib/nda/edition.ts';
import { prefetchOg } from './lib/og/prefetch.ts';
import { OG_HEIGHT, OG_WIDTH } from './lib/og/size.ts';
import { pageKind } from './lib/routing/kind.ts';
import { sidebarForPage } from './lib/routing/sidebar.ts';
import { absoluteUrl, ogImagePath } from './lib/routing/urls.ts';

/**
 * A title as the character data of `<title>`, where only a `<` can start markup (`</title>`). `&` is
 * left as it is: a page's own `head` title may already be written with entities (`A &amp; B`).
 */
const escapeTitle = (text: string) => text.replaceAll('<', '&lt;');

type HeadEntry = StarlightRouteData['head'][number];
/** A page's own `robots` meta tag keeps it out of search engines. */
const isNoindex = ({ tag, attrs }: HeadEntry) =>
	tag === 'meta' && attrs?.['name'] === 'robots' && String(attrs['content']).includes('noindex');
/** Starlight's canonical link and og:url, both the page's own address. */
const isCanonical = ({ tag, attrs }: HeadEntry) =>
	(tag === 'link' && attrs?.['rel'] === 'canonical') ||
	(tag === 'meta' && attrs?.['property'] === 'og:url');

/**
 * Folds the sidebar's folders the page is not in (lib/routing/sidebar.ts), escapes the page's
 * `<title>`, drops the canonical address of a noindex page, tags every page with its kind, for
 * Pagefind's "kind" filter, and with its Open Graph image.
 */
export const onRequest = defineRouteMiddleware(async (context) => {
	const { head } = context.locals.starlightRoute;
	context.locals.starlightRoute.sidebar = sidebarForPage(context.locals.starlightRoute.sidebar);
	// Starlight writes each head entry's content as HTML (set:html), and the title's is the page title and
	// the company name as typed: "</title><script>" in a title would end the title and start a script.
	for (const entry of head)
		if (entry.tag === 'title' && entry.content) entry.content = escapeTitle(entry.content);
	// A page kept out of search engines (the 404 page) has no address to call canonical.
	if (head.some(isNoindex))
		for (const entry of head.filter(isCanonical)) head.splice(head.indexOf(entry), 1);
	const t = await getWords();
	const kind = pageKind(context.url.pathname, t);
	// The filter's name is what the search dialog shows over it; Pagefind reads "[" and ":" in it as syntax.
	const filter =
		t('kind.filter')
			.replace(/[[\]:,]/g, ' ')
			.trim() || 'kind';
	if (kind)
		head.push({
			tag: 'meta',
			attrs: { 'data-pagefind-filter': `${filter}[content]`, content: kind },
		});
	// The print edition is never shared, so it has no images.
	if (isNdaEdition() || !context.site) return;
	const { data } = context.locals.starlightRoute.entry;
	// Starlight's tags: og:title is the title, the description falls back to the site's (the tagline).
	prefetchOg(context.url.pathname, {
		title: data.title,
		description: data.description || undefined,
	});
	const image = absoluteUrl(ogImagePath(context.url.pathname), context.site);
	head.push(
		{ tag: 'meta', attrs: { property: 'og:image', content: image } },
		{ tag: 'meta', attrs: { property: 'og:image:width', content: String(OG_WIDTH) } },
		{ tag: 'meta', attrs: { property: 'og:image:height', content: String(OG_HEIGHT) } },
		{
			tag: 'meta',
			attrs: { property: 'og:image:alt', content: data.title },
		},
		{ tag: 'meta', attrs: { name: 'twitter:image', content: image } },
	);
});
