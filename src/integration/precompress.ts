// After the build (and after Pagefind and the OG images, which are listed before it), brotli and gzip
// copies of the text files go next to them for the gate to send.
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { precompress } from '../lib/precompress.ts';

/** The integration; `enabled` is false for the NDA edition, which is only printed. */
export function precompressed(options: { enabled: boolean }): AstroIntegration {
	return {
		name: 'trust-center:precompress',
		hooks: {
			'astro:build:done': async ({ dir, logger }) => {
				if (!options.enabled) return;
				const started = performance.now();
				const { files, bytes, brotliBytes } = await precompress(fileURLToPath(dir));
				logger.info(
					`Precompressed ${files} files: ${(bytes / 1024).toFixed(0)} KB of text is ${(brotliBytes / 1024).toFixed(0)} KB with brotli (${((performance.now() - started) / 1000).toFixed(1)} s)`,
				);
			},
		},
	};
}
