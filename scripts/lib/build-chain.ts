// npm run build, step by step: pull control status, build the public site, prove it leaks nothing,
// and make the NDA whitepaper beside it. The public site is built into dist.next/ and takes dist/'s
// place only once its leak check passed: a gate serving dist/, its notifier and a deploy never see a
// build that was not checked; the whitepaper is written only then too. A pull that kept the last good
// snapshot (a source failed) does not stop the build, but its warning is printed after the pull and
// again at the end. `npm start` runs the same chain when dist/ is stale. Each step prints how long it
// took; a step whose inputs are unchanged since it last succeeded is skipped (--force runs every step).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputsDigest, readStamp, whitepaperCurrent, writeStamp } from './build-freshness.ts';
import { ensureChromium } from './chromium.ts';
import { checkLeaks } from './leak-check.ts';
import { KEPT_EXIT_CODE } from '../../src/lib/pull/run.ts';
import { makeWhitepaper, StepError } from '../../src/whitepaper/make.ts';
import { WHITEPAPER_PDF } from '../../src/whitepaper/paths.ts';
import { BUNDLED_FILE_VAR } from '../../src/integration/bundled-signal.ts';

/** Where `nice` is, on Linux and macOS; Windows has none, and its builds run at the usual priority. */
const NICE = '/usr/bin/nice';

/**
 * The command that runs a Node script with `args`. `yieldCpu` runs it at a lower CPU priority (nice 10),
 * with every thread and child process it starts: the public build does, while the whitepaper is made
 * beside it. The whitepaper is the chain's longest step, and it gets the cores first; the public build
 * finishes in the time that is left.
 */
export function nodeCommand(args: string[], yieldCpu = false): { command: string; args: string[] } {
	return yieldCpu && existsSync(NICE)
		? { command: NICE, args: ['-n', '10', process.execPath, ...args] }
		: { command: process.execPath, args };
}

/**
 * Runs a Node script of the chain (the pull, Astro's build) with the chain's output, resolving with its
 * exit code; the process itself stays free meanwhile, for the whitepaper step that runs beside.
 */
const run = (root: string, args: string[], env: Record<string, string> = {}, yieldCpu = false) =>
	new Promise<number>((resolve) => {
		const command = nodeCommand(args, yieldCpu);
		spawn(command.command, command.args, {
			cwd: root,
			stdio: 'inherit',
			env: { ...process.env, TRUST_EDITION: 'public', ...env },
		})
			.on('error', (error) => {
				console.error(`Running ${args[0]} failed: ${error.message}`);
				resolve(1);
			})
			.on('close', (code) => resolve(code ?? 1));
	});

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
	const publicCurrent = stamp['public'] === digest && existsSync(join(root, 'dist/index.html'));
	// A site built anew gets its whitepaper anew: a gate warns of a whitepaper older than dist/.
	const paperCurrent = publicCurrent && whitepaperCurrent(root, stamp, digest);
	const browser = paperCurrent ? undefined : ensureChromium();
	// The whitepaper does not read the public site: it is made while the public site builds (Astro's
	// build and Chromium's print each leave much of the two cores idle), and written once the site has
	// passed. Its NDA edition is an Astro build too, started once the public one has bundled its pages:
	// until then both would read and write the project's .astro/ (src/integration/bundled-signal.ts).
	// Beside the whitepaper, the public build yields the CPU to it (nodeCommand).
	let paper: ReturnType<typeof startWhitepaper> | undefined;
	const startPaper = () => {
		if (browser?.ok) paper ??= startWhitepaper(root, browser.path, digest, !publicCurrent);
	};
	if (publicCurrent) {
		console.log('[build] public site and leak check: skipped, no input changed since they passed');
		startPaper();
	} else if (!(await buildPublic(root, digest, startPaper, browser?.ok === true))) {
		await paper?.stop();
		return 1;
	}
	if (paper) return paper.finish();
	if (paperCurrent) {
		console.log('[build] whitepaper: skipped, no input changed since it was made');
		return 0;
	}
	if (browser && !browser.ok)
		console.error(
			`\n${'!'.repeat(72)}\n!!! The public site is built in dist/, but the NDA whitepaper was NOT made.\n!!! ${browser.error.replaceAll('\n', '\n!!! ')}\n!!! Then run: npm run whitepaper\n${existsSync(join(root, WHITEPAPER_PDF)) ? `!!! Until then the gate serves the older whitepaper in ${WHITEPAPER_PDF}, and says so when it starts.\n` : ''}${'!'.repeat(72)}\n`,
		);
	return 0;
}

/**
 * Builds the public site into dist.next/, checks it for leaks and puts it in dist/'s place; false when
 * it failed or leaks, with the reason printed. `onBundled` is called once Astro has bundled the pages
 * (or, should that never be seen, once the build has succeeded). `yieldCpu`: the whitepaper is made
 * beside it.
 */
async function buildPublic(
	root: string,
	digest: string,
	onBundled: () => void,
	yieldCpu: boolean,
): Promise<boolean> {
	rmSync(join(root, NEXT_DIST), { recursive: true, force: true });
	const signals = mkdtempSync(join(tmpdir(), 'trust-center-build-'));
	const bundled = join(signals, 'bundled');
	const watch = setInterval(() => existsSync(bundled) && onBundled(), 250);
	const built = await timed('public site', () =>
		run(
			root,
			[join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', NEXT_DIST],
			{ [BUNDLED_FILE_VAR]: bundled },
			yieldCpu,
		),
	).finally(() => {
		clearInterval(watch);
		rmSync(signals, { recursive: true, force: true });
	});
	if (built === 0) onBundled();
	const kept = existsSync(join(root, 'dist'))
		? 'dist/ still holds the last build that passed.'
		: 'Nothing is in dist/.';
	if (built !== 0) {
		console.error(`The public build failed; see the messages above. ${kept}`);
		return false;
	}
	const leaks = await timed('leak check', () => checkLeaks(root, join(root, NEXT_DIST)));
	if (!leaks.ok) {
		console.error(
			`\n${leaks.message}\n\nThe build that leaks stays in ${NEXT_DIST}/ to be looked at, and is served nowhere. ${kept}`,
		);
		return false;
	}
	console.log(leaks.message);
	publish(root);
	writeStamp(root, 'public', digest);
	return true;
}

/**
 * Starts the whitepaper (src/whitepaper/make.ts). While the public site builds (`beside`), its progress
 * lines wait, so that they do not break into the build's, and nothing is written. Then `finish` writes
 * it once the site has passed, or `stop` ends it when the site did not pass: no whitepaper goes with a
 * site that failed or leaks (and a content error is reported once, by the public build).
 */
function startWhitepaper(root: string, browserPath: string, digest: string, beside: boolean) {
	writeStamp(root, 'whitepaper', null);
	const waiting: string[] = [];
	let live = !beside;
	const log = (line: string) => (live ? console.log(line) : waiting.push(line));
	const stopper = new AbortController();
	let passed = () => {};
	const ready = new Promise<void>((resolve, reject) => {
		passed = resolve;
		stopper.signal.addEventListener('abort', () => reject(stopper.signal.reason as Error));
	});
	ready.catch(() => undefined);
	const name = beside ? 'whitepaper, printed beside the public site' : 'whitepaper';
	const started = performance.now();
	const making = makeWhitepaper(root, browserPath, {
		log,
		signal: stopper.signal,
		ready,
	});
	const settled = making.then(
		() => undefined,
		() => undefined,
	);
	return {
		async stop(): Promise<void> {
			stopper.abort(new StepError('The public site did not pass.'));
			await settled;
			console.log('[build] whitepaper: stopped, as the public site did not pass');
		},
		async finish(): Promise<number> {
			live = true;
			for (const line of waiting.splice(0)) console.log(line);
			passed();
			try {
				await making;
			} catch (error) {
				console.error(error instanceof StepError ? `\n${error.message}` : error);
				return 1;
			}
			console.log(`[build] ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
			writeStamp(root, 'whitepaper', digest);
			return 0;
		},
	};
}
