import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under `dir`, recursively, as full paths in sorted order; `[]` when `dir` does not exist.
 * `keep` filters by file name (e.g. `(name) => name.endsWith('.html')`). The one place that walks a tree.
 */
export function walkFiles(dir: string, keep: (name: string) => boolean = () => true): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((d) => d.isFile() && keep(d.name))
		.map((d) => join(d.parentPath, d.name))
		.sort();
}

/**
 * Every entry under `dir` (folders, files and any other kind but links, which are not followed), recursively, as
 * full paths in sorted order; `[]` when `dir` is not a folder. For a whole tree's dates or modes.
 */
export function walkTree(dir: string): string[] {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((d) => !d.isSymbolicLink())
		.map((d) => join(d.parentPath, d.name))
		.sort();
}

/**
 * Makes `dir` (and its missing parents) if needed, and makes it 0700: for folders that hold what only their owner
 * may read (the gate's data, the unwatermarked whitepaper in private/).
 */
export function privateDir(dir: string): void {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	chmodSync(dir, 0o700);
}
