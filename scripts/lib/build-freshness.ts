import { existsSync, lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { walkTree } from '../../src/lib/files.ts';
import { chooseContentDir } from '../../src/lib/content/dir.ts';

/**
 * Newest modification time (ms) of any file or folder under the given paths; 0 when none exist. Folders count: a
 * file deleted or renamed leaves no newer file behind, only its folder's time.
 */
export function newestMtime(root: string, paths: readonly string[]): number {
	let newest = 0;
	for (const path of paths) {
		const full = join(root, path);
		if (!existsSync(full)) continue;
		for (const entry of [full, ...walkTree(full)])
			newest = Math.max(newest, lstatSync(entry).mtimeMs);
	}
	return newest;
}

/** The inputs of a build (the content folder holds the public assets): when any is newer than the last build, `dist/` is stale. */
export function buildInputs(root: string): string[] {
	return [chooseContentDir(root), 'src', 'astro.config.mjs', 'package-lock.json'];
}

/** Why `dist/` needs a rebuild, or undefined when it is up to date. */
export function staleReason(root: string, marker = 'dist/index.html'): string | undefined {
	const built = join(root, marker);
	if (!existsSync(built)) return 'dist/ has not been built yet';
	const builtAt = statSync(built).mtimeMs;
	const newest = newestMtime(root, buildInputs(root));
	return newest > builtAt ? 'content or source files changed since the last build' : undefined;
}
