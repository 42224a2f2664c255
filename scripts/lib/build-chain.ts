// npm run build, step by step: pull control status, build the public site, prove it leaks nothing,
// then make the NDA whitepaper. The public site is built into dist.next/ and takes dist/'s place only
// once its leak check passed: a gate serving dist/, its notifier and a deploy never see a build that was
// not checked. A pull that kept the last good snapshot (a source failed) does not stop
// the build, but its warning is printed after the pull and again at the end. `npm start` runs the same chain when dist/ is stale. Each step prints
// how long it took; a step whose inputs are unchanged since it last succeeded is skipped (--force
// runs every step).
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inputsDigest, readStamp, whitepaperCurrent, writeStamp } from './build-freshness.ts';
import { ensureChromium } from './chromium.ts';
import { checkLeaks } from './leak-check.ts';
import { KEPT_EXIT_CODE } from '../../src/lib/pull/run.ts';
import { makeWhitepaper, StepError } from '../../src/whitepaper/make.ts';
import { WHITEPAPER_PDF } from '../../src/whitepaper/paths.ts';

const run = (root: string, args: string[]) =>
	spawnSync(process.execPath, args, {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, TRUST_EDITION: 'public' },
	}).status ?? 1;

/** Where the public build is written and checked before it replaces `dist/`. */
export const NEXT_DIST = 'dist.next';

/**
 * Puts the checked build in `dist.next/` in the place of `dist/`, by two renames: a request in between
 * finds no build for a moment, never an unchecked one. The build it replaces is removed.
 */
export function publish(root: string): void {
	const dist = join(root, 'dist');
	const old = join(root, 'dist.old');
	rmSync(old, { recursive: true, force: true });
	if (existsSync(dist)) renameSync(dist, old);
	renameSync(join(root, NEXT_DIST), dist);
	rmSync(old, { recursive: true, force: true });
}

/** Runs `step`, then prints its name and time: `[build] public site: 61.2 s`. */
async function timed<T>(name: string, step: () => T | Promise<T>): Promise<T> {
	const started = performance.now();
	const result = await step();
	console.log(`[build] ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

/**
 * What the chain does after the pull exited with `code`: go on (0), stop (a failed pull), or go on
 * from the kept snapshot with a warning to print after the pull and again at the end of the build.
 */
export function afterPull(code: number): { go: boolean; warning?: string } {
	if (code === 0) return { go: true };
	if (code !== KEPT_EXIT_CODE) return { go: false };
	return {
		go: true,
		warning: `${'!'.repeat(72)}\n!!! Control status was NOT refreshed: a source failed (see the pull's messages above), so this\n!!! build shows the last good snapshot. Fix the source; npm run controls:pull exits ${KEPT_EXIT_CODE} until\n!!! then. To stop the build instead, set controlStatus.onSourceError: fail.\n${'!'.repeat(72)}`,
	};
}

/** Runs the chain; returns the exit code. Every failing step says what failed and why. */
export async function runBuild(root: string, options: { force?: boolean } = {}): Promise<number> {
	const started = performance.now();
	const pulled = afterPull(
		await timed('control status', () =>
			run(root, [join(root, 'scripts/pull-controls.ts'), '--if-configured']),
		),
	);
	if (pulled.warning) console.error(`\n${pulled.warning}\n`);
	const code = pulled.go ? await steps(root, options.force ?? false) : 1;
	if (pulled.warning && code === 0) console.error(`\n${pulled.warning}\n`);
	console.log(`[build] total: ${((performance.now() - started) / 1000).toFixed(1)} s`);
	return code;
}

async function steps(root: string, force: boolean): Promise<number> {
	// After the pull, which may have rewritten the snapshot: the digest covers what the build reads.
	const digest = inputsDigest(root);
	const stamp = force ? {} : readStamp(root);
	if (stamp['public'] === digest && existsSync(join(root, 'dist/index.html'))) {
		console.log('[build] public site and leak check: skipped, no input changed since they passed');
	} else {
		rmSync(join(root, NEXT_DIST), { recursive: true, force: true });
		const built = await timed('public site', () =>
			run(root, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', NEXT_DIST]),
		);
		const kept = existsSync(join(root, 'dist'))
			? 'dist/ still holds the last build that passed.'
			: 'Nothing is in dist/.';
		if (built !== 0) {
			console.error(`The public build failed; see the messages above. ${kept}`);
			return 1;
		}
		const leaks = await timed('leak check', () => checkLeaks(root, join(root, NEXT_DIST)));
		if (!leaks.ok) {
			console.error(
				`\n${leaks.message}\n\nThe build that leaks stays in ${NEXT_DIST}/ to be looked at, and is served nowhere. ${kept}`,
			);
			return 1;
		}
		console.log(leaks.message);
		publish(root);
		writeStamp(root, 'public', digest);
	}
	if (whitepaperCurrent(root, stamp, digest)) {
		console.log('[build] whitepaper: skipped, no input changed since it was made');
		return 0;
	}
	const browser = ensureChromium();
	if (!browser.ok) {
		console.error(
			`\n${'!'.repeat(72)}\n!!! The public site is built in dist/, but the NDA whitepaper was NOT made.\n!!! ${browser.error.replaceAll('\n', '\n!!! ')}\n!!! Then run: npm run whitepaper\n${existsSync(join(root, WHITEPAPER_PDF)) ? `!!! Until then the gate serves the older whitepaper in ${WHITEPAPER_PDF}, and says so when it starts.\n` : ''}${'!'.repeat(72)}\n`,
		);
		return 0;
	}
	writeStamp(root, 'whitepaper', null);
	try {
		await timed('whitepaper', () => makeWhitepaper(root, browser.path));
	} catch (error) {
		console.error(error instanceof StepError ? `\n${error.message}` : error);
		return 1;
	}
	writeStamp(root, 'whitepaper', digest);
	return 0;
}
