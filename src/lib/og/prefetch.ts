// While Astro renders pages, the route middleware hands each page's title and description to the OG
// images integration, which draws the page's image on the idle core instead of after the build. The two
// run in one process but are bundled apart, so the integration leaves its handler on globalThis.
import type { PageMeta } from './inputs.ts';

const HANDLER = Symbol.for('trust-center.og.prefetch');

/** Draws (in the background) the image of the page at `pathname`. */
export type OgPrefetch = (pathname: string, meta: PageMeta) => void;

type WithHandler = typeof globalThis & { [HANDLER]?: OgPrefetch | undefined };

/** Installs the handler for this build, or removes it (`undefined`) when the build is done. */
export function setOgPrefetch(handler: OgPrefetch | undefined): void {
	(globalThis as WithHandler)[HANDLER] = handler;
}

/** Tells the handler about a page being rendered; does nothing outside a public build (dev, NDA edition). */
export function prefetchOg(pathname: string, meta: PageMeta): void {
	(globalThis as WithHandler)[HANDLER]?.(pathname, meta);
}
