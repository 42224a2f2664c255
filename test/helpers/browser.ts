import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_FLAGS } from '../../scripts/lib/chromium.ts';
import { startTestGate } from './gate.ts';

/**
 * Serves the built example site on a free loopback port with the server `npm start` uses: the access
 * gate, with its security headers (CSP included) on every static file.
 */
export async function serveExample(): Promise<{
	url: string;
	dist: string;
	close: () => Promise<void>;
}> {
	const dist = join(inject('exampleSite'), 'dist');
	const gate = await startTestGate(dist);
	return { url: gate.url, dist, close: () => gate.stop() };
}

/** Debian's Chromium through playwright-core, with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: inject('chromium'),
		args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
		headless: true,
	});
}

/** Every page URL in the built sitemap, as paths (e.g. `/policies/access-control/`). */
export async function sitemapPaths(dist: string): Promise<string[]> {
	const { readFile } = await import('node:fs/promises');
	const xml = await readFile(join(dist, 'sitemap-0.xml'), 'utf8');
	return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
}
