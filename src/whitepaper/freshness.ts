import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WHITEPAPER_PDF } from './paths.ts';

/**
 * Why the whitepaper in `private/` may not show what the site in `dist/` shows: it was never made, or it
 * was made before the site's last build (its own step then failed, or was skipped without Chromium).
 * Undefined when it is there and newer. `npm start` rebuilds on it; the gate warns of it at start.
 */
export function whitepaperStaleness(root: string, dist = join(root, 'dist')): string | undefined {
	const pdf = join(root, WHITEPAPER_PDF);
	if (!existsSync(pdf)) return `the NDA whitepaper (${WHITEPAPER_PDF}) has not been made`;
	const site = join(dist, 'index.html');
	if (existsSync(site) && statSync(pdf).mtimeMs < statSync(site).mtimeMs)
		return `the NDA whitepaper (${WHITEPAPER_PDF}) is older than the site in dist/: the last build did not make it`;
	return undefined;
}
