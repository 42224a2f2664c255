import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../scripts/lib/chromium.ts';
import { buildSite, makeSite, removeSite } from '../scripts/lib/site-copy.ts';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Project copy holding the example trust center, built once for every e2e and audit test. */
		exampleSite: string;
		/** What that build printed. */
		exampleBuildOutput: string;
		chromium: string;
	}
}

/** Builds the example trust center once and makes sure a Chromium is there for the browser tests. */
export default async function setup(project: TestProject) {
	const browser = ensureChromium();
	if (!browser.ok) throw new Error(browser.error);
	const dir = makeSite('example');
	const { code, output } = await buildSite(dir);
	if (code !== 0) throw new Error(`Building the example trust center failed:\n${output}`);
	project.provide('exampleSite', dir);
	project.provide('exampleBuildOutput', output);
	project.provide('chromium', browser.path);
	return () => removeSite(dir);
}
