import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WHITEPAPER_PDF } from './paths.ts';

/**
 * Why the whitepaper in `private/` may not show what the site in `dist/` shows: it was never made, or it
 * was made before the site's last build (its own step then failed, or was skipped without Chromium); a
 * build makes it (`rebuild`). Or it is there but this user cannot read it (a copy shipped from the build's
 * user), which a build would not mend. Undefined when it is there and newer. `npm start` rebuilds on it;
 * the gate warns of it at start.
 */
export function whitepaperStaleness(
	root: string,
	dist = join(root, 'dist'),
): { reason: string; rebuild: boolean } | undefined {
	const pdf = join(root, WHITEPAPER_PDF);
	try {
		accessSync(pdf, constants.R_OK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOENT'
			? { reason: `the NDA whitepaper (${WHITEPAPER_PDF}) has not been made`, rebuild: true }
			: {
					reason: `the NDA whitepaper (${WHITEPAPER_PDF}) cannot be read by this user (${code}): give private/ and the files in it to the user that runs the gate (chown -R)`,
					rebuild: false,
				};
	}
	const site = join(dist, 'index.html');
	if (existsSync(site) && statSync(pdf).mtimeMs < statSync(site).mtimeMs)
		return {
			reason: `the NDA whitepaper (${WHITEPAPER_PDF}) is older than the site in dist/: the last build did not make it`,
			rebuild: true,
		};
	return undefined;
}
