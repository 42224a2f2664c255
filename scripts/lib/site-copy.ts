import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCommand } from './run-command.ts';

/** The project root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** What a site copy shares with the project: the engine. Content comes from the fixture or the example. */
const ENGINE = ['src', 'scripts', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json'];

/**
 * Makes a throwaway copy of the project in `.tmp/`, with the content (and optionally the docs) replaced
 * by a fixture's. node_modules is linked, not copied.
 */
export function makeSite(name: string, overlay?: { content?: string[]; docs?: string; public?: string }): string {
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	const dir = mkdtempSync(join(ROOT, '.tmp', `${name}-`));
	for (const path of ENGINE) cpSync(join(ROOT, path), join(dir, path), { recursive: true });
	symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
	// Later content folders override files of earlier ones, so a broken fixture holds only what it breaks.
	for (const content of overlay?.content ?? [join(ROOT, 'content')]) cpSync(content, join(dir, 'content'), { recursive: true });
	if (overlay?.docs) {
		rmSync(join(dir, 'src/content/docs'), { recursive: true, force: true });
		cpSync(overlay.docs, join(dir, 'src/content/docs'), { recursive: true });
	}
	if (overlay?.public) cpSync(overlay.public, join(dir, 'public'), { recursive: true });
	return dir;
}

/** Runs `astro build` in `dir`, resolving with the exit code and everything printed. */
export function buildSite(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
	return runCommand(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', ...args], {
		cwd: dir,
		// NODE_ENV=test (set by vitest) would make Astro build in dev mode, which disables search.
		env: { ...process.env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
	});
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
