import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildTime } from '../../src/lib/build-time.ts';
import { walkTree } from '../../src/lib/files.ts';
import { chooseContentDir } from '../../src/lib/content/dir.ts';
import { hasAccessGate } from '../../src/gate/lib/access-config.ts';
import { whitepaperStaleness } from '../../src/whitepaper/freshness.ts';

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

/**
 * The inputs of a build (the content folder holds the public assets; scripts/ holds the build chain and
 * the NDA edition's build): when any is newer than the last build, `dist/` is stale.
 */
export function buildInputs(root: string): string[] {
	return [chooseContentDir(root), 'src', 'scripts', 'astro.config.mjs', 'package-lock.json'];
}

/**
 * Why the build needs to run, or undefined when it is up to date: `dist/` is missing or older than a
 * source, or, with the access gate on, the NDA whitepaper is missing or older than `dist/`.
 */
export function staleReason(root: string): string | undefined {
	const built = join(root, 'dist/index.html');
	if (!existsSync(built)) return 'dist/ has not been built yet';
	if (buildUnchecked(root)) return UNCHECKED;
	const builtAt = statSync(built).mtimeMs;
	if (newestMtime(root, buildInputs(root)) > builtAt)
		return 'content or source files changed since the last build';
	// A whitepaper this user cannot read is the gate's to warn of: a build could not write it either.
	const whitepaper = hasAccessGate(root) ? whitepaperStaleness(root) : undefined;
	return whitepaper?.rebuild ? whitepaper.reason : undefined;
}

/**
 * A digest of everything a build reads: every input file's path and bytes, the day it is built for
 * (dates on the site, review warnings and evidence age are counted in days) and the settings from the
 * environment. Equal digests mean the build would write the same files.
 */
export function inputsDigest(root: string, env: NodeJS.ProcessEnv = process.env): string {
	const hash = createHash('sha256');
	hash.update(`${buildTime(env).toISOString().slice(0, 10)}\0`);
	for (const name of ['TRUST_CONTENT_DIR', 'SOURCE_DATE_EPOCH'])
		hash.update(`${env[name] ?? ''}\0`);
	for (const path of buildInputs(root)) {
		const full = join(root, path);
		if (!existsSync(full)) continue;
		const files = statSync(full).isDirectory()
			? walkTree(full).filter((f) => statSync(f).isFile())
			: [full];
		for (const file of files.sort())
			hash.update(`${relative(root, file)}\0`).update(readFileSync(file));
	}
	return hash.digest('hex');
}

/** Where the chain records the digest its last successful steps were built from. */
const STAMP = '.cache/build-inputs.json';

/**
 * The digest each step (`public`, `whitepaper`) was last completed for; null while a step runs, and
 * after it failed or was stopped.
 */
export function readStamp(root: string): Record<string, string | null> {
	try {
		return JSON.parse(readFileSync(join(root, STAMP), 'utf8')) as Record<string, string | null>;
	} catch {
		return {};
	}
}

/** Records that `step` completed for `digest`; null says it began (and stays null if it fails). */
export function writeStamp(root: string, step: string, digest: string | null): void {
	const stamp = { ...readStamp(root), [step]: digest };
	mkdirSync(join(root, dirname(STAMP)), { recursive: true });
	writeFileSync(join(root, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
}

/**
 * Whether the chain may skip the whitepaper: it was made from these inputs (`digest`), and is no older
 * than the site, whose build may have run again without them changing (a lost `dist/`).
 */
export function whitepaperCurrent(
	root: string,
	stamp: Record<string, string | null>,
	digest: string,
): boolean {
	return stamp['whitepaper'] === digest && whitepaperStaleness(root) === undefined;
}

/** Why dist/ must not be served as it is: the build that wrote it did not pass its checks. */
export const UNCHECKED =
	'the last build of dist/ failed or was stopped before its leak check passed, so it may hold NDA-only content';

/**
 * Whether the public build in dist/ began and never passed the leak check (it failed, or was stopped).
 * The build chain now builds into dist.next/ and records nothing until its build has passed and taken
 * dist/'s place; earlier versions built into dist/ itself and recorded the start, and a dist/ they left
 * unchecked stays refused. A dist/ built elsewhere, with no record here (a CI artifact), is not known
 * to have failed.
 */
export function buildUnchecked(root: string): boolean {
	return readStamp(root)['public'] === null;
}
