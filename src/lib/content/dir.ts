import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The security team's folder: everything they edit. Upstream ships none; a team commits theirs. */
export const CONTENT_DIR = 'content';
/** The example trust center (Kestrel Ledger), built when there is no `content/` folder. */
export const EXAMPLE_DIR = 'examples/kestrel-ledger';
/** Points the build, the gate and the scripts at another content folder (absolute, or relative to the project root). */
export const CONTENT_DIR_VAR = 'TRUST_CONTENT_DIR';
/** The architecture pages, inside the content folder: `docs/security/network.mdx` is `/security/network/`. */
export const DOCS_SUBDIR = 'docs';
/** Files published as they are (logo, favicon, fonts), inside the content folder: `public/favicon.svg` is `/favicon.svg`. */
export const PUBLIC_SUBDIR = 'public';
/** The site's icon, from the public folder: Starlight's pages and the gate's console link to it. */
export const FAVICON = '/favicon.svg';

/**
 * The one place that decides which content a build, the gate and every script read. Returns the folder
 * relative to the project root (messages name files by that path): `TRUST_CONTENT_DIR` when set;
 * otherwise `content/` whenever it exists, broken or not (its errors are reported, never hidden by a
 * fallback); otherwise the example.
 */
export function chooseContentDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
	const override = env[CONTENT_DIR_VAR];
	if (override) {
		const full = resolve(root, override);
		if (!existsSync(full) || !statSync(full).isDirectory()) {
			throw new Error(
				`${CONTENT_DIR_VAR} is "${override}", but ${full} is not a folder. Point it at a content folder, or unset it to use ${CONTENT_DIR}/.`,
			);
		}
		return relative(root, full) || '.';
	}
	return existsSync(join(root, CONTENT_DIR)) ? CONTENT_DIR : EXAMPLE_DIR;
}

/** The line printed when the example is built or served because there is no `content/` yet; undefined otherwise. */
export function exampleNotice(
	root: string,
	env: NodeJS.ProcessEnv = process.env,
): string | undefined {
	if (env[CONTENT_DIR_VAR] || chooseContentDir(root, env) !== EXAMPLE_DIR) return undefined;
	return `Using the example trust center in ${EXAMPLE_DIR}/: there is no ${CONTENT_DIR}/ folder yet. Put your own files in ${CONTENT_DIR}/ to make it yours (README.md).`;
}
