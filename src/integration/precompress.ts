// brotli and gzip copies of the text files go next to them for the gate to send. The pages are compressed
// as soon as Astro has written them, while Pagefind indexes them (on one core); the files Pagefind, the
// sitemap and the OG images step write after, and any file changed since, when the build is done (this
// integration is listed last, so after theirs).
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { precompress, precompressTotals } from '../lib/precompress.ts';

/** Astro's server chunks for rendering the pages, under the output folder until the build removes them. */
const PRERENDER_DIR = '.prerender';

/** The integration; `enabled` is false for the NDA edition, which is only printed. */
export function precompressed(options: { enabled: boolean }): AstroIntegration {
	let early: ReturnType<typeof precompress> | undefined;
	let started = 0;
	return {
		name: 'trust-center:precompress',
		hooks: {
			'astro:build:generated': ({ dir }) => {
				if (!options.enabled) return;
				started = performance.now();
				const dist = fileURLToPath(dir);
				// One file at a time, leaving the other core to Pagefind; not awaited, so the build goes on.
				early = precompress(dist, {
					include: (path) => relative(dist, path).split(sep)[0] !== PRERENDER_DIR,
					concurrency: 1,
				});
				// A failure is reported when the build is done, where it is awaited.
				early.catch(() => {});
			},
			'astro:build:done': async ({ dir, logger }) => {
				if (!options.enabled) return;
				const waitFrom = performance.now();
				const first = await early;
				started ||= waitFrom;
				const rest = await precompress(fileURLToPath(dir), { before: first?.read });
				// A file compressed again (changed since) counts once, with its last sizes.
				const { files, bytes, brotliBytes } = precompressTotals(
					new Map([...(first?.read ?? []), ...rest.read]).values(),
				);
				const seconds = (ms: number) => (ms / 1000).toFixed(1);
				logger.info(
					`Precompressed ${files} files: ${(bytes / 1024).toFixed(0)} KB of text is ${(brotliBytes / 1024).toFixed(0)} KB with brotli (${seconds(performance.now() - waitFrom)} s after the build, ${seconds(performance.now() - started)} s since the pages were written)`,
				);
			},
		},
	};
}
