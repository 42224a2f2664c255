/**
 * One source, two editions. The public edition is the site in `dist/`: NDA-only content is not
 * rendered at all. The NDA edition is the print edition the whitepaper PDF is made from; it is
 * built into `private/edition/` (EDITION_DIR in src/whitepaper/paths.ts) and never published.
 */
export type Edition = 'public' | 'nda';

/** The environment variable that selects the edition of a build. */
export const EDITION_VAR = 'TRUST_EDITION';

/** The edition this build makes: `TRUST_EDITION=nda`, or public by default. Throws on any other value. */
export function edition(env: Record<string, string | undefined> = process.env): Edition {
	const value = env[EDITION_VAR];
	if (value === undefined || value === '' || value === 'public') return 'public';
	if (value === 'nda') return 'nda';
	throw new Error(
		`${EDITION_VAR}: expected "public" or "nda", received ${JSON.stringify(value)}. Unset it for the public site; \`npm run whitepaper\` sets it to "nda" itself.`,
	);
}

export const isNdaEdition = (env?: Record<string, string | undefined>): boolean =>
	edition(env) === 'nda';

/**
 * The static paths of a page kind the NDA edition does not print: none in the NDA edition, whose one
 * use is its print page (`/print/nda/`), so it renders no second copy of every page.
 */
export function publicEditionOnly<T>(paths: T[], env?: Record<string, string | undefined>): T[] {
	return isNdaEdition(env) ? [] : paths;
}
