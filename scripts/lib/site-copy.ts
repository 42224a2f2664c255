import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCommand } from './run-command.ts';
import { CONTENT_DIR, DOCS_SUBDIR, EXAMPLE_DIR } from '../../src/lib/content/dir.ts';

/** The project root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** What a site copy shares with the project: the engine. Content comes from the fixture or the example. */
const ENGINE = ['src', 'scripts', 'astro.config.mjs', 'tsconfig.json', 'package.json'];

/**
 * Makes a throwaway copy of the project in `.tmp/`. Without `content`, it is a fresh clone's layout: the
 * example in examples/kestrel-ledger/ and no content/ folder. With `content`, those folders are layered
 * into content/, and `docs` replaces its architecture pages. node_modules is linked, not copied.
 */
export function makeSite(name: string, overlay?: { content?: string[]; docs?: string }): string {
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	const dir = mkdtempSync(join(ROOT, '.tmp', `${name}-`));
	for (const path of ENGINE) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
	symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
	// Later content folders override files of earlier ones, so a broken fixture holds only what it breaks.
	const target = overlay?.content ? CONTENT_DIR : EXAMPLE_DIR;
	for (const content of overlay?.content ?? [join(ROOT, EXAMPLE_DIR)])
		cpSync(content, join(dir, target), { recursive: true });
	if (overlay?.docs) {
		rmSync(join(dir, target, DOCS_SUBDIR), { recursive: true, force: true });
		cpSync(overlay.docs, join(dir, target, DOCS_SUBDIR), { recursive: true });
	}
	return dir;
}

/** Runs `astro build` in `dir`, resolving with the exit code and everything printed. */
export function buildSite(
	dir: string,
	args: string[] = [],
	env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; output: string }> {
	// A test runner's Vite variables (vitest sets MODE=test, DEV, PROD…) would reach the site's code as
	// import.meta.env: Starlight would then route draft pages, which the NDA edition relies on it not to.
	const {
		MODE: _mode,
		DEV: _dev,
		PROD: _prod,
		SSR: _ssr,
		BASE_URL: _base,
		...inherited
	} = process.env;
	return runCommand(
		process.execPath,
		[join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', ...args],
		{
			cwd: dir,
			// NODE_ENV=test (set by vitest) would make Astro build in dev mode, which disables search.
			env: {
				...inherited,
				NODE_ENV: 'production',
				ASTRO_TELEMETRY_DISABLED: '1',
				NO_COLOR: '1',
				FORCE_COLOR: '0',
				...env,
			},
		},
	);
}

/** Removes a site copy. */
export function removeSite(dir: string): void {
	if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

/** Content folders of a fixture: the minimal valid site, then the fixture's own files on top. */
export function fixtureContent(name: string): string[] {
	const base = join(ROOT, 'test/fixtures/minimal/content');
	return name === 'minimal' ? [base] : [base, join(ROOT, 'test/fixtures', name, 'content')];
}

/** Docs of the minimal fixture (the example's docs use the example's frameworks). */
export const FIXTURE_DOCS = join(ROOT, 'test/fixtures/minimal/docs');
