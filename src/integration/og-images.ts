import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import type { TrustContent } from '../lib/content/load.ts';
import { PUBLIC_SUBDIR } from '../lib/content/dir.ts';
import { walkFiles } from '../lib/files.ts';
import { ogInputFor } from '../lib/og/inputs.ts';
import type { OgInput } from '../lib/og/card.ts';
import { loadOgAssets, ogKey, type OgAssets } from '../lib/og/render.ts';
import { ogImagePath } from '../lib/routing/urls.ts';
import { runCommand } from '../../scripts/lib/run-command.ts';
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
	logo: string,
	cacheDir: string,
): OgAssets {
	const file = join(contentDir, PUBLIC_SUBDIR, logo);
	try {
		return loadOgAssets(join(root, file), cacheDir);
	} catch (error) {
		throw new AstroError(
			`${contentDir}/site.yaml: **logo.light**: ${file} could not be drawn for the Open Graph images (${(error as Error).message}). Use a valid SVG or PNG file.`,
			`logo.light is a path under ${contentDir}/${PUBLIC_SUBDIR}/, e.g. /brand/logo.svg; open the file in a browser to see whether it draws.`,
		);
	}
}

const BATCH = 100;
const BATCH_SCRIPT = fileURLToPath(new URL('../lib/og/draw-batch.ts', import.meta.url));

/** Draws `inputs` into the cache in child processes of at most BATCH images, one per core at a time. */
async function drawInBatches(inputs: OgInput[], logoFile: string, cacheDir: string): Promise<void> {
	const batches = Array.from({ length: Math.ceil(inputs.length / BATCH) }, (_, i) =>
		inputs.slice(i * BATCH, (i + 1) * BATCH),
	);
	const jobs = mkdtempSync(join(tmpdir(), 'og-jobs-'));
	try {
		let next = 0;
		await Promise.all(
			Array.from({ length: Math.min(availableParallelism(), batches.length) }, async () => {
				while (next < batches.length) {
					const n = next++;
					const job = join(jobs, `${n}.json`);
					writeFileSync(job, JSON.stringify({ logoFile, cacheDir, inputs: batches[n] }));
					const result = await runCommand(process.execPath, [BATCH_SCRIPT, job]);
					if (result.code !== 0)
						throw new AstroError(
							`Drawing OG images failed (batch ${n + 1} of ${batches.length}):\n${result.output}`,
							'The output above names the error. Images already drawn stay cached in .cache/og/ for the next build.',
						);
				}
			}),
		);
	} finally {
		rmSync(jobs, { recursive: true, force: true });
	}
}

/**
 * After the public build, draws one Open Graph image per page into `dist/og/`, reusing every image whose
 * inputs are unchanged from `.cache/og/`. The route middleware has already put the `og:image` tags in.
 */
export function ogImages(options: {
	root: string;
	contentDir: string;
	content: TrustContent;
	freshness: Freshness;
	enabled: boolean;
}): AstroIntegration {
	return {
		name: 'trust-center:og-images',
		hooks: {
			'astro:build:done': async ({ dir, logger }) => {
				if (!options.enabled) return;
				const started = performance.now();
				const dist = fileURLToPath(dir);
				const cacheDir = join(options.root, '.cache', 'og');
				const logoFile = join(
					options.root,
					options.contentDir,
					PUBLIC_SUBDIR,
					options.content.site.logo.light,
				);
				const assets = siteOgAssets(
					options.root,
					options.contentDir,
					options.content.site.logo.light,
					cacheDir,
				);
				const pages = walkFiles(dist, (name) => name.endsWith('.html')).map((file) => {
					const page = pathnameOf(dist, file);
					const input = ogInputFor(
						page,
						readFileSync(file, 'utf8'),
						options.content,
						options.freshness,
					);
					return {
						page,
						image: ogImagePath(page),
						input,
						cached: join(cacheDir, `${ogKey(input, assets)}.png`),
					};
				});
				const missing = [
					...new Map(
						pages.filter((p) => !existsSync(p.cached)).map((p) => [p.cached, p.input]),
					).values(),
				];
				await drawInBatches(missing, logoFile, cacheDir);
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
				logger.info(
					`OG images: ${missing.length} drawn, ${pages.length - missing.length} from cache (${((performance.now() - started) / 1000).toFixed(1)} s)`,
				);
			},
		},
	};
}
