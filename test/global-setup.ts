import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../scripts/lib/chromium.ts';
import { buildSite, makeSite, removeSite } from '../scripts/lib/site-copy.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Project copy holding the example trust center, built once for every e2e and audit test. */
		exampleSite: string;
		/** What that build printed. */
		exampleBuildOutput: string;
		/** The build's clock (its SOURCE_DATE_EPOCH, as an ISO date): what tests compare its counts with. */
		exampleBuildTime: string;
		chromium: string;
	}
}

/** Builds the example trust center once and makes sure a Chromium is there for the browser tests. */
export default async function setup(project: TestProject) {
	const browser = ensureChromium();
	if (!browser.ok) throw new Error(browser.error);
	const dir = makeSite('example');
	// The build's "now" is pinned, so tests that count fresh evidence use the very same instant.
	const epoch = Math.floor(Date.now() / 1000);
	const { code, output } = await buildSite(dir, [], { SOURCE_DATE_EPOCH: String(epoch) });
	if (code !== 0) throw new Error(`Building the example trust center failed:\n${output}`);
	project.provide('exampleSite', dir);
	project.provide('exampleBuildOutput', output);
	project.provide('exampleBuildTime', new Date(epoch * 1000).toISOString());
	project.provide('chromium', browser.path);
	return () => removeSite(dir);
}
