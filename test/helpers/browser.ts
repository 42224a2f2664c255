import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_FLAGS } from '../../src/lib/chromium.ts';
import { serveStatic } from '../../src/lib/static-server.ts';

/** Serves the built example site on a free loopback port with the same server `npm start` uses. */
export async function serveExample(): Promise<{ url: string; dist: string; close: () => Promise<void> }> {
	const dist = join(inject('exampleSite'), 'dist');
	const server: Server = createServer((req, res) => serveStatic(dist, req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}`, dist, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Debian's Chromium through playwright-core, with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: inject('chromium'), args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'), headless: true });
}

/** Every page URL in the built sitemap, as paths (e.g. `/policies/access-control/`). */
export async function sitemapPaths(dist: string): Promise<string[]> {
	const { readFile } = await import('node:fs/promises');
	const xml = await readFile(join(dist, 'sitemap-0.xml'), 'utf8');
	return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
}
