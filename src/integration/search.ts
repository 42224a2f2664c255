// How the site's search is written and loaded, for a first query that downloads as little as it can
// (`npm run bench:wire`):
//
// - Pagefind writes its word index in chunks of half its default size. A query downloads the chunk
//   that holds its word: 20,000 places in pages by default, about 24 KB with brotli whatever the
//   site's size. Pagefind reads the size from PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE (its only setting for
//   it): should a later Pagefind drop it, the chunks are as large as before, and search still works.
// - The search box runs Pagefind in the page, not in its web worker (Pagefind's `noWorker`). The worker
//   is a second copy of Pagefind's script (12 KB with brotli) that every first search downloaded before
//   the WebAssembly: without it the first result shows about twice as soon, for one task of some 70 ms
//   on the page's thread while Pagefind loads (later queries run none that long). Starlight passes its
//   `pagefind` options to the search box but keeps only those its schema knows, so `noWorker` is added
//   to the module it reads them from.
import type { AstroIntegration } from 'astro';

/** Places in pages (word occurrences) per index chunk: Pagefind's default is 20,000. */
const INDEX_CHUNK_SIZE = 10_000;

/** The module Starlight's search box reads its Pagefind options (`pagefindUserConfig`) from, as Vite names it. */
const PAGEFIND_CONFIG_MODULE = /^\0virtual:starlight\/pagefind-config$/;

/** Starlight's module, with the Pagefind options the search box is given beyond Starlight's. */
const withPagefindOptions = (code: string) =>
	`${code}\nObject.assign(pagefindUserConfig, { noWorker: true });\n`;

/** Smaller index chunks and search in the page, for the public edition (`enabled`), which has search. */
export function searchSettings({ enabled }: { enabled: boolean }): AstroIntegration {
	return {
		name: 'trust-center:search',
		hooks: {
			'astro:config:setup'({ updateConfig }) {
				if (!enabled) return;
				// Read by the Pagefind process Starlight starts once the pages are written; one set by hand wins.
				process.env['PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE'] ??= String(INDEX_CHUNK_SIZE);
				updateConfig({
					vite: {
						plugins: [
							{
								name: 'trust-center:search-options',
								transform: { filter: { id: PAGEFIND_CONFIG_MODULE }, handler: withPagefindOptions },
							},
						],
					},
				});
			},
		},
	};
}
