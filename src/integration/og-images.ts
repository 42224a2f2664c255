import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import type { TrustContent } from '../lib/content/load.ts';
import { PUBLIC_SUBDIR } from '../lib/content/dir.ts';
import { readHead, walkFiles } from '../lib/files.ts';
import { readSourcePages } from '../lib/content/source-pages.ts';
import { expectedPages, ogInputFor, pageMetaOf, type PageMeta } from '../lib/og/inputs.ts';
import { setOgPrefetch } from '../lib/og/prefetch.ts';
import type { OgInput } from '../lib/og/card.ts';
import { siteWords } from '../lib/words/words.ts';
import { loadOgAssets, missingCjkFont, ogKey, type OgAssets } from '../lib/og/render.ts';
import { ogImagePath } from '../lib/routing/urls.ts';
import { OgWorkers, processesFor } from './og-workers.ts';
import type { Freshness } from '../lib/status/counts.ts';

/** The list of every image and its inputs, published beside them so the leak check reads the inputs too. */
export const OG_INDEX = 'og/index.json';

/** `dist/policies/access/index.html` → `/policies/access/`; `dist/404.html` → `/404.html`. */
function pathnameOf(dist: string, file: string): string {
	const rel = relative(dist, file).split(sep).join('/');
	return rel === 'index.html'
		? '/'
		: rel.endsWith('/index.html')
			? `/${rel.slice(0, -'index.html'.length)}`
			: `/${rel}`;
}

/** The fonts and the site's logo for its images; a logo that cannot be drawn is reported against its setting. */
export function siteOgAssets(
	root: string,
	contentDir: string,
	site: { logo: { light: string }; language: string },
	cacheDir: string,
): OgAssets {
	const file = join(contentDir, PUBLIC_SUBDIR, site.logo.light);
	try {
		return loadOgAssets(join(root, file), cacheDir, { language: site.language });
	} catch (error) {
		throw new AstroError(
			`${contentDir}/site.yaml: **logo.light**: ${file} could not be drawn for the Open Graph images (${(error as Error).message}). Use a valid SVG or PNG file.`,
			`logo.light is a path under ${contentDir}/${PUBLIC_SUBDIR}/, e.g. /brand/logo.svg; open the file in a browser to see whether it draws.`,
		);
	}
}

/** How much of a built page holds its meta tags: Starlight writes them within the first 2 KB. */
const HEAD_BYTES = 16 * 1024;

/**
 * A built page's title and description meta tags, read from its first bytes; the whole page is read
 * only when they are not both there. On a 2,000-page site a page is some 360 KB (each repeats the
 * sidebar), and reading all of every page took seconds after the build.
 */
export function builtPageMeta(file: string): PageMeta {
	// A tag cut off at the end does not match (its closing quote is missing): then the whole page is read.
	const meta = pageMetaOf(readHead(file, HEAD_BYTES).toString('utf8'));
	if (meta.title !== undefined && meta.description !== undefined) return meta;
	return pageMetaOf(readFileSync(file, 'utf8'));
}

/**
 * Draws one Open Graph image per page into `dist/og/`, reusing every image whose inputs are unchanged
 * from `.cache/og/`. The drawing starts with the build, on the core Astro leaves idle: first the pages
 * the Markdown sources say will be built (`expectedPages`), while Astro starts and bundles, then each
 * page the route middleware hands over as it renders (`prefetchOg`). After the build, the inputs are
 * read again from the pages as built, which is what the images must show; whatever the first passes
 * missed is drawn then, on every core. The route middleware has already put the `og:image` tags in.
 */
export function ogImages(options: {
	root: string;
	contentDir: string;
	content: TrustContent;
	freshness: Freshness;
	enabled: boolean;
}): AstroIntegration {
	const cacheDir = join(options.root, '.cache', 'og');
	const t = siteWords(options.content.site);
	const logoFile = join(
		options.root,
		options.contentDir,
		PUBLIC_SUBDIR,
		options.content.site.logo.light,
	);
	let workers: OgWorkers | undefined;
	let assets: OgAssets | undefined;
	const drawn = new Set<string>();
	/** Images handed to the workers before the build was done. */
	const early = new Set<string>();
	const draw = async (key: string, input: OgInput) => {
		if (await workers!.draw(key, input)) drawn.add(key);
	};
	const prefetch = (pathname: string, meta: PageMeta) => {
		const input = ogInputFor(pathname, meta, options.content, options.freshness, t);
		const key = ogKey(input, assets!);
		if (existsSync(join(cacheDir, `${key}.png`))) return;
		early.add(key);
		// A failure here is found again, and reported, when the built pages are read.
		draw(key, input).catch(() => undefined);
	};
	const stop = () => {
		setOgPrefetch(undefined);
		workers?.close();
		workers = undefined;
	};
	return {
		name: 'trust-center:og-images',
		hooks: {
			'astro:config:setup': ({ command }) => {
				if (!options.enabled || command !== 'build') return;
				assets = siteOgAssets(options.root, options.contentDir, options.content.site, cacheDir);
				workers = new OgWorkers(logoFile, cacheDir, options.content.site.language, 1);
				for (const page of expectedPages(readSourcePages(options.root, options.contentDir)))
					prefetch(page.pathname, page.meta);
				setOgPrefetch(prefetch);
			},
			'astro:build:done': async ({ dir, logger }) => {
				if (!options.enabled || !workers || !assets) return;
				const started = performance.now();
				setOgPrefetch(undefined);
				const drawnDuringBuild = drawn.size;
				const dist = fileURLToPath(dir);
				const pages = walkFiles(dist, (name) => name.endsWith('.html')).map((file) => {
					const page = pathnameOf(dist, file);
					const input = ogInputFor(
						page,
						builtPageMeta(file),
						options.content,
						options.freshness,
						t,
					);
					const key = ogKey(input, assets!);
					return {
						page,
						image: ogImagePath(page),
						input,
						key,
						cached: join(cacheDir, `${key}.png`),
					};
				});
				const unfonted = missingCjkFont(
					pages.map((p) => [p.page, p.input]),
					assets,
				);
				if (unfonted) logger.warn(unfonted);
				const missing = pages.filter((p) => !existsSync(p.cached));
				workers.resize(processesFor(missing.length, availableParallelism()));
				try {
					await Promise.all(missing.map((p) => draw(p.key, p.input)));
				} catch (error) {
					throw new AstroError(
						`Drawing OG images failed: ${(error as Error).message}`,
						'The output above names the error. Images already drawn stay cached in .cache/og/ for the next build.',
					);
				} finally {
					stop();
				}
				for (const { image, cached } of pages) {
					mkdirSync(dirname(join(dist, image)), { recursive: true });
					copyFileSync(cached, join(dist, image));
				}
				writeFileSync(
					join(dist, OG_INDEX),
					`${JSON.stringify(
						pages.map(({ page, image, input }) => ({ page, image, ...input })),
						null,
						1,
					)}\n`,
				);
				const keys = new Set(pages.map((p) => p.key));
				const used = [...drawn].filter((key) => keys.has(key)).length;
				logger.info(
					`OG images: ${used} drawn, ${pages.length - used} from cache (${[...early].filter((key) => keys.has(key)).length} begun and ${drawnDuringBuild} done while Astro built; ${((performance.now() - started) / 1000).toFixed(1)} s after)`,
				);
			},
		},
	};
}
