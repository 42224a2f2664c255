// npm run bench:wire: bytes over the wire, measured in Chromium against the gate serving a built site, in
// one run: the overview's page load, and the first search query (opening search and typing a word until
// the results show). Requests under /pagefind/ count to the search, the rest to the page load. Each is
// measured twice, in a fresh browser: with Chromium's own Accept-Encoding (the gate sends its brotli
// copies), and with Accept-Encoding: identity (what the gate sent before it had copies), as the
// baseline. Then, in the same browser, a second page (a policy): what a reader pays for each page after
// the first, with the browser's cache. For the search it also reports how long after the query was typed
// the first result showed, and the page's longest task meanwhile (Pagefind runs on the page's thread),
// and the longest during a second query ("backup"), once Pagefind has loaded.
// Prints the figures, with the largest requests of the search; asserts nothing.
//   --dist <folder>   the built site (default dist/). For the 2,000-page site:
//                     npm run bench:build -- --pages 2000 --keep, then its trust center's dist/ folder
//   --query <word>    what to search for (default "encryption")
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page, type Request } from 'playwright-core';
import { chooseContentDir, CONTENT_DIR } from '../src/lib/content/dir.ts';
import { CHROMIUM_FLAGS, ensureChromium } from './lib/chromium.ts';
import { startGateProcess } from './lib/gate-process.ts';
import { ROOT } from './lib/site-copy.ts';
import { benchFlags } from './lib/bench/cli.ts';

const flags = benchFlags('npm run bench:wire', {
	dist: { type: 'string' },
	query: { type: 'string' },
});
const dist = resolve(flags.dist ?? join(ROOT, 'dist'));
const query = flags.query ?? 'encryption';
/** The query typed after the first, once Pagefind has loaded. */
const SECOND_QUERY = 'backup';
if (!existsSync(join(dist, 'index.html')) || !existsSync(join(dist, 'pagefind/pagefind.js'))) {
	console.error(
		`bench:wire needs a built site with its search index in ${dist}. Run npm run build first, or name one with --dist <folder>.`,
	);
	process.exit(1);
}
const browserPath = ensureChromium();
if (!browserPath.ok) {
	console.error(browserPath.error);
	process.exit(1);
}

/**
 * Counts the bytes Chromium received for the page and its workers (this site's search runs Pagefind in
 * the page, but a site built by an older version, given with --dist, searched in a worker):
 * response headers and bodies as sent, before decompression.
 */
function meter(page: Page) {
	const state = {
		requests: [] as { path: string; bytes: number }[],
		inFlight: new Set<Request>(),
		lastActivity: Date.now(),
	};
	const pending: Promise<void>[] = [];
	page.on('request', (r) => {
		state.inFlight.add(r);
		state.lastActivity = Date.now();
	});
	page.on('requestfinished', (r) => {
		pending.push(
			(async () => {
				const sizes = await r.sizes();
				// From the browser's cache (Astro's immutable files on the second page): nothing came over the
				// wire, and Chromium reports a body of minus the headers' size.
				if (sizes.responseBodySize < 0) return;
				// Chromium reports no body for a worker's own script (Pagefind's pagefind-worker.js, 11 KB with
				// brotli), though it came over the wire, and no request start: its Content-Length (the bytes as
				// sent) counts instead. A revalidation answered 304 has no body either, and a request start.
				const workerScript = sizes.responseBodySize === 0 && r.timing().requestStart === -1;
				const sent = workerScript
					? Number((await r.response())?.headers()['content-length'] ?? 0)
					: sizes.responseBodySize;
				const bytes = sizes.responseHeadersSize + sent;
				state.requests.push({ path: new URL(r.url()).pathname, bytes });
			})(),
		);
		state.inFlight.delete(r);
		state.lastActivity = Date.now();
	});
	page.on('requestfailed', (r) => {
		state.inFlight.delete(r);
		state.lastActivity = Date.now();
	});
	return {
		/**
		 * Resolves once nothing has been in flight for half a second, or nothing happened for five (a
		 * request the browser never finishes, named so that the figure can be judged).
		 */
		idle: async () => {
			for (;;) {
				const quiet = Date.now() - state.lastActivity;
				if (quiet >= 500 && state.inFlight.size === 0) break;
				if (quiet >= 5000) {
					console.warn(
						`  (still in flight, not counted: ${[...state.inFlight].map((r) => r.url()).join(', ')})`,
					);
					break;
				}
				await page.waitForTimeout(100);
			}
			await Promise.all(pending.splice(0));
		},
		/** Every request so far, split by `search` (the path). */
		split: (search: (path: string) => boolean) => ({
			load: figure(state.requests.filter((r) => !search(r.path))),
			search: figure(state.requests.filter((r) => search(r.path))),
		}),
		/** How many requests have finished: `since` takes the requests after such a mark. */
		mark: () => state.requests.length,
		since: (mark: number) => figure(state.requests.slice(mark)),
	};
}

const figure = (requests: { path: string; bytes: number }[]) => ({
	bytes: requests.reduce((sum, r) => sum + r.bytes, 0),
	requests,
});

type Figure = { bytes: number; requests: { path: string; bytes: number }[] };

/**
 * One fresh context: the overview's load, then the first search query, until its results show, then
 * the load of a second page.
 */
async function measure(
	url: string,
	compressed: boolean,
): Promise<{
	load: Figure;
	search: Figure;
	next: Figure;
	resultMs: number;
	longestTaskMs: number;
	secondQueryTaskMs: number;
}> {
	const browser = await chromium.launch({
		executablePath: browserPath.ok ? browserPath.path : '',
		args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
		headless: true,
	});
	try {
		const page = await browser.newPage({
			viewport: { width: 1280, height: 900 },
			// The baseline: what the gate sent before it had compressed copies.
			...(compressed ? {} : { extraHTTPHeaders: { 'Accept-Encoding': 'identity' } }),
		});
		const net = meter(page);
		await page.goto(`${url}/`, { waitUntil: 'load' });
		await net.idle();
		// The page's long tasks (over 50 ms) from opening search until its requests are done.
		await page.evaluate(() => {
			const tasks: number[] = ((window as unknown as { longTasks: number[] }).longTasks = []);
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries()) tasks.push(entry.duration);
			}).observe({ type: 'longtask' });
		});
		await page.getByRole('button', { name: 'Search' }).click();
		const typed = performance.now();
		await page.getByRole('dialog').getByRole('textbox').fill(query);
		await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 60_000 });
		const resultMs = performance.now() - typed;
		await net.idle();
		const longestTask = async () =>
			Math.max(
				0,
				...(await page.evaluate(() =>
					(window as unknown as { longTasks: number[] }).longTasks.splice(0),
				)),
			);
		const longestTaskMs = await longestTask();
		// Split by what each request is, not by when it came: Starlight loads the search UI when the page is
		// idle, which on a busy machine is sometimes after the load and sometimes before. Everything under
		// /pagefind/ (its script, WebAssembly, page list, index and result fragments) is the search's.
		const first = net.split((path) => path.startsWith('/pagefind/'));
		// A second query, with Pagefind loaded: its message names the word once its results show.
		await page.getByRole('dialog').getByRole('textbox').fill(SECOND_QUERY);
		await page
			.locator('.pagefind-ui__message', { hasText: SECOND_QUERY })
			.waitFor({ timeout: 60_000 });
		await net.idle();
		const secondQueryTaskMs = await longestTask();
		const mark = net.mark();
		await page.goto(`${url}${nextPage}`, { waitUntil: 'load' });
		await net.idle();
		return { ...first, next: net.since(mark), resultMs, longestTaskMs, secondQueryTaskMs };
	} finally {
		await browser.close();
	}
}

/** The second page: the first policy's, as the browser would find it after reading the overview. */
const policies = join(dist, 'policies');
const firstPolicy = existsSync(policies)
	? readdirSync(policies, { withFileTypes: true })
			.filter((e) => e.isDirectory())
			.map((e) => e.name)
			.sort()[0]
	: undefined;
const nextPage = firstPolicy ? `/policies/${firstPolicy}/` : '/policies/';

const root = mkdtempSync(join(tmpdir(), 'bench-wire-'));
let gate: Awaited<ReturnType<typeof startGateProcess>> | undefined;
try {
	cpSync(join(ROOT, chooseContentDir(ROOT)), join(root, CONTENT_DIR), { recursive: true });
	mkdirSync(join(root, 'private'));
	gate = await startGateProcess(root, dist, {
		GATE_LIMIT_REQUESTS_PER_IP: '1000000',
		GATE_LIMIT_PAGES_PER_IP: '1000000',
	});
	const compressed = await measure(gate.url, true);
	const identity = await measure(gate.url, false);
	const kb = (f: Figure) =>
		`${(f.bytes / 1024).toFixed(1).padStart(8)} KB (${f.requests.length} requests)`;
	console.log(
		`\nBytes over the wire in Chromium, site ${dist}, load average ${loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}:`,
	);
	console.log(`${''.padEnd(46)}${'brotli copies'.padStart(27)}   ${'uncompressed (baseline)'}`);
	console.log(
		`${"overview's page load (/)".padEnd(46)}${kb(compressed.load)}   ${kb(identity.load)}`,
	);
	console.log(
		`${`first search query ("${query}"), goal ≤ 100 KB`.padEnd(46)}${kb(compressed.search)}   ${kb(identity.search)}`,
	);
	const ms = (n: number) => `${Math.round(n)} ms`;
	console.log(
		`${'  first result after the query was typed'.padEnd(46)}${ms(compressed.resultMs).padStart(27)}   ${ms(identity.resultMs)}`,
	);
	console.log(
		`${"  the page's longest task meanwhile".padEnd(46)}${ms(compressed.longestTaskMs).padStart(27)}   ${ms(identity.longestTaskMs)}`,
	);
	console.log(
		`${`  the longest during a second query ("${SECOND_QUERY}")`.padEnd(46)}${ms(compressed.secondQueryTaskMs).padStart(27)}   ${ms(identity.secondQueryTaskMs)}`,
	);

	console.log(
		`${`then a second page (${nextPage})`.padEnd(46)}${kb(compressed.next)}   ${kb(identity.next)}`,
	);
	const biggest = [...compressed.search.requests].sort((a, b) => b.bytes - a.bytes).slice(0, 6);
	console.log(
		`Largest in the search, with the copies: ${biggest.map((r) => `${r.path} ${(r.bytes / 1024).toFixed(1)} KB`).join(', ')}`,
	);
	console.log('Every request with its bytes: .tmp/bench-wire.json');
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	writeFileSync(
		join(ROOT, '.tmp/bench-wire.json'),
		JSON.stringify({ dist, query, load: loadavg(), compressed, identity }, null, 2),
	);
} finally {
	gate?.child.kill('SIGTERM');
	rmSync(root, { recursive: true, force: true });
}
