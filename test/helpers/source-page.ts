import type { SourcePage } from '../../src/lib/content/source-pages.ts';

/** A public architecture page as the content check reads it (`/security/a/`, body on line 5), with `over` changed. */
export const sourcePage = (over: Partial<SourcePage>): SourcePage => ({
	file: 'content/docs/security/a.mdx',
	kind: 'docs',
	url: '/security/a/',
	title: 'A',
	ndaPage: false,
	ndaBody: false,
	body: '',
	bodyLine: 5,
	data: {},
	...over,
});
