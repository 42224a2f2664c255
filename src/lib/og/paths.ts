// Where OG images live and how big they are; kept apart from the renderer so pages can import it.
export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;

/** Where a page's image lives: `/` → `/og/index.png`, `/policies/access/` → `/og/policies/access.png`. */
export function ogImagePath(pathname: string): string {
	const slug = pathname.replace(/^\/+|\/+$/g, '').replace(/\.html$/, '') || 'index';
	return `/og/${slug}.png`;
}
