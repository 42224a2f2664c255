import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { pageKind } from './lib/page-kind.ts';

/** Tags every page with its kind, for Pagefind's "kind" filter. */
export const onRequest = defineRouteMiddleware((context) => {
	const kind = pageKind(context.url.pathname);
	if (kind) context.locals.starlightRoute.head.push({ tag: 'meta', attrs: { 'data-pagefind-filter': 'kind[content]', content: kind } });
});
