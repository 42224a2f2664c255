// npm run build, step by step: pull control status, build the public site, prove it leaks nothing,
// then make the NDA whitepaper. `npm start` runs the same chain when dist/ is stale.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureChromium } from './chromium.ts';
import { checkLeaks } from './leak-check.ts';
import { makeWhitepaper, StepError } from '../../src/whitepaper/make.ts';

const run = (root: string, args: string[]) =>
	spawnSync(process.execPath, args, {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, TRUST_EDITION: 'public' },
	}).status ?? 1;

/** Runs the chain; returns the exit code. Every failing step says what failed and why. */
export async function runBuild(root: string): Promise<number> {
	if (run(root, [join(root, 'scripts/pull-controls.ts'), '--if-configured']) !== 0) return 1;
	if (run(root, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build']) !== 0) {
		console.error('The public build failed; see the messages above.');
		return 1;
	}
	const leaks = checkLeaks(root, join(root, 'dist'));
	if (!leaks.ok) {
		console.error(`\n${leaks.message}`);
		return 1;
	}
	console.log(leaks.message);
	const browser = ensureChromium();
	if (!browser.ok) {
		console.error(
			`\n${'!'.repeat(72)}\n!!! The public site is built in dist/, but the NDA whitepaper was NOT made.\n!!! ${browser.error.replaceAll('\n', '\n!!! ')}\n!!! Then run: npm run whitepaper\n${'!'.repeat(72)}\n`,
		);
		return 0;
	}
	try {
		await makeWhitepaper(root, browser.path);
	} catch (error) {
		console.error(error instanceof StepError ? `\n${error.message}` : error);
		return 1;
	}
	return 0;
}
