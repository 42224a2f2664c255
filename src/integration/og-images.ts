import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { TrustContent } from '../lib/content.ts';
import { ogInputFor } from '../lib/og/inputs.ts';
import { ogImagePath } from '../lib/og/paths.ts';
import { cachedOg, loadOgAssets } from '../lib/og/render.ts';
import type { Freshness } from '../lib/status.ts';

/** The list of every image and its inputs, published beside them so the leak check reads the inputs too. */
export const OG_INDEX = 'og/index.json';

function htmlFiles(dir: string): string[] {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((d) => d.isFile() && d.name.endsWith('.html'))
		.map((d) => join(d.parentPath, d.name))
		.sort();
}

/** `dist/policies/access/index.html` → `/policies/access/`; `dist/404.html` → `/404.html`. */
function pathnameOf(dist: string, file: string): string {
	const rel = relative(dist, file).split(sep).join('/');
	return rel === 'index.html' ? '/' : rel.endsWith('/index.html') ? `/${rel.slice(0, -'index.html'.length)}` : `/${rel}`;
}

/**
 * After the public build, draws one Open Graph image per page into `dist/og/`, reusing every image whose
 * inputs are unchanged from `.cache/og/`. The route middleware has already put the `og:image` tags in.
 */
export function ogImages(options: { root: string; content: TrustContent; freshness: Freshness; enabled: boolean }): AstroIntegration {
	return {
		name: 'trust-center:og-images',
		hooks: {
			'astro:build:done': async ({ dir, logger }) => {
				if (!options.enabled) return;
				const started = performance.now();
				const dist = fileURLToPath(dir);
				const cacheDir = join(options.root, '.cache', 'og');
				const assets = loadOgAssets(join(options.root, 'public', options.content.site.logo.light), cacheDir);
				const index: Array<{ page: string; image: string } & ReturnType<typeof ogInputFor>> = [];
				let drawn = 0;
				for (const file of htmlFiles(dist)) {
					const page = pathnameOf(dist, file);
					const input = ogInputFor(page, readFileSync(file, 'utf8'), options.content, options.freshness);
					const image = ogImagePath(page);
					const result = await cachedOg(input, assets, cacheDir);
					if (result.drawn) drawn++;
					mkdirSync(dirname(join(dist, image)), { recursive: true });
					writeFileSync(join(dist, image), result.png);
					index.push({ page, image, ...input });
				}
				writeFileSync(join(dist, OG_INDEX), `${JSON.stringify(index, null, 1)}\n`);
				logger.info(`OG images: ${drawn} drawn, ${index.length - drawn} from cache (${((performance.now() - started) / 1000).toFixed(1)} s)`);
			},
		},
	};
}
