// `npm run build` starts the NDA edition's Astro build while the public one renders its pages. Both
// builds write the project's .astro/ folder, whose content-modules.mjs lists each edition's own entries,
// and each reads it until Vite has bundled every environment; the pages are then rendered from the
// bundles. With TRUST_BUNDLED_FILE set (scripts/lib/build-chain.ts), this integration writes that file
// at that point: the chain waits for it before the second build starts.
import { writeFileSync } from 'node:fs';
import type { AstroIntegration } from 'astro';

/** The environment variable naming the file to write once the build has bundled its pages. */
export const BUNDLED_FILE_VAR = 'TRUST_BUNDLED_FILE';

/** The integration; it does nothing unless `file` (the environment's TRUST_BUNDLED_FILE) is set. */
export function bundledSignal(file = process.env[BUNDLED_FILE_VAR]): AstroIntegration {
	return {
		name: 'trust-center:bundled-signal',
		hooks: {
			'astro:config:setup': ({ command, updateConfig }) => {
				if (!file || command !== 'build') return;
				updateConfig({
					vite: {
						plugins: [
							{
								name: 'trust-center:bundled-signal',
								// Vite runs "post" buildApp hooks once every environment is built; Astro renders the pages
								// in one of them too, so this may come before the pages or after, never before the bundles.
								buildApp: {
									order: 'post',
									handler: async () => writeFileSync(file, `${Date.now()}\n`),
								},
							},
						],
					},
				});
			},
		},
	};
}
