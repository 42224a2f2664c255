import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	FIXTURE_DOCS,
	ROOT,
	fixtureContent,
	makeSite,
	removeSite,
} from '../../scripts/lib/site-copy.ts';
import { launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/postgres.ts';

const FRAMEWORK = 'content/frameworks/mini-cert.mdx';
const REPORT_LINE =
	'content/frameworks/mini-cert.mdx:5: status: expected one of "certified" | "audited" | "in-progress" | "aligned" | "compliant" | "planned", received "certifed".';

describe('npm run dev with a content mistake made while it runs', () => {
	let site: string;
	let dev: ChildProcess;
	let output = '';
	let url: string;
	let browser: Browser;
	let page: Page;
	const edit = (from: string, to: string) =>
		writeFileSync(
			join(site, FRAMEWORK),
			readFileSync(join(site, FRAMEWORK), 'utf8').replace(from, to),
		);
	/** Everything printed from now on. */
	const printedAfter = (mark: number) => () => output.slice(mark);

	beforeAll(async () => {
		site = makeSite('dev', { content: fixtureContent('minimal'), docs: FIXTURE_DOCS });
		const port = await freePort();
		// Astro's dev server serves no pages when it sees VITEST in its environment (it takes itself for a test
		// run inside vitest), so the child gets this process's environment without vitest's variables.
		const env = Object.fromEntries(
			Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')),
		);
		dev = spawn(
			process.execPath,
			[join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(port)],
			{
				cwd: site,
				env: {
					...env,
					NODE_ENV: 'development',
					ASTRO_TELEMETRY_DISABLED: '1',
					NO_COLOR: '1',
					FORCE_COLOR: '0',
				},
			},
		);
		dev.stdout!.on('data', (d) => (output += d));
		dev.stderr!.on('data', (d) => (output += d));
		await new Promise<void>((resolve, reject) => {
			const ready = () => output.includes('watching for file changes') && resolve();
			dev.stdout!.on('data', ready);
			dev.once('exit', () => reject(new Error(`astro dev stopped:\n${output}`)));
		});
		// Where it serves: Astro moves on to the next port when another process took this one meanwhile.
		url = /Local\s+(http:\/\/\S+?)\/?\s/.exec(output)?.[1] ?? `http://localhost:${port}`;
		browser = await launchChromium();
		page = await browser.newPage();
		await page.goto(`${url}/frameworks/mini-cert/`, { timeout: 120_000 });
		// The first visit makes Vite bundle the page's scripts, after which it reloads the page once.
		await page.waitForLoadState('networkidle', { timeout: 120_000 });
		await page.locator('main').waitFor({ timeout: 120_000 });
	});
	afterAll(async () => {
		await browser?.close();
		dev?.kill('SIGTERM');
		if (site) removeSite(site);
	});

	it("prints the build report in the terminal, not zod's own text", async () => {
		await expect
			.poll(() => page.locator('main').textContent(), { timeout: 60_000 })
			.toContain('Certified');
		const printed = printedAfter(output.length);
		edit('status: certified', 'status: certifed');
		await expect.poll(printed, { timeout: 60_000, interval: 100 }).toContain(REPORT_LINE);
		expect(printed()).toContain(
			'The trust center content has problems. Fix them and build again.\n\n1 content error in 1 file:',
		);
		expect(printed()).toContain(
			'Each line names the file (and line), the field, what was expected and what was found, then how to fix it.',
		);
		expect(printed()).not.toContain('Invalid option');
		expect(printed()).not.toContain('does not match collection schema');
	});

	it('shows the same report in the error overlay of an open page and of a page opened since', async () => {
		const overlayOf = (p: Page) => p.locator('vite-error-overlay');
		await overlayOf(page).waitFor({ timeout: 60_000 });
		await expect
			.poll(() => overlayOf(page).locator('#message-content').textContent())
			.toContain(REPORT_LINE);
		// A page opened now shows the report too, not the content as it was before the mistake.
		const fresh = await browser.newPage();
		const response = await fresh.goto(`${url}/frameworks/mini-cert/`, { timeout: 120_000 });
		expect(response?.status()).toBe(500);
		await overlayOf(fresh).waitFor({ timeout: 60_000 });
		expect(await overlayOf(fresh).locator('#message-content').textContent()).toContain(REPORT_LINE);
		expect(await overlayOf(fresh).locator('#code-content').textContent()).toContain(
			'status: certifed',
		);
		await fresh.close();
	});

	it('recovers when the file is fixed, without a restart: the open page reloads with the new value', async () => {
		const printed = printedAfter(output.length);
		edit('status: certifed', 'status: audited');
		await expect
			.poll(printed, { timeout: 60_000, interval: 100 })
			.toContain('The content problems are fixed: reloading the page.');
		await expect
			.poll(
				async () =>
					(await page
						.locator('main')
						.textContent()
						.catch(() => '')) ?? '',
				{
					timeout: 60_000,
				},
			)
			.toContain('Audited');
		expect(await page.locator('vite-error-overlay').count()).toBe(0);
		const response = await fetch(`${url}/frameworks/mini-cert/`);
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('Audited');
		expect(dev.exitCode).toBe(null);
	});
});
