/**
 * npm run bench:og -- [--pages N]: what one Open Graph image costs, drawn whole (the frame and the band
 * as one picture, encoded by resvg) and drawn as the build does (the band over the site's frame). Draws
 * the cards of the Markdown pages of a synthetic trust center of N pages (200 by default) both ways in
 * one process, alternating, and prints CPU time per image, PNG sizes, how many pixels differ, the zlib
 * levels side by side, and each way's peak RSS in a drawing process of its own. Last, drawing processes
 * draw the band over the frame, collecting garbage after each image the build's way, the way before it,
 * and not at all: their CPU time per image (all threads, collections included) and peak RSS.
 */
import { ENGLISH } from '../src/lib/words/words.ts';
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { siteOgAssets } from '../src/integration/og-images.ts';
import { loadContent } from '../src/lib/content/load.ts';
import { readSourcePages } from '../src/lib/content/source-pages.ts';
import type { OgInput } from '../src/lib/og/card.ts';
import { expectedPages, ogInputFor } from '../src/lib/og/inputs.ts';
import { encodePng, scanlinesOf } from '../src/lib/og/raster.ts';
import { COLLECT_EXEC_ARGV, collectAfterImage } from '../src/lib/og/collect.ts';
import { drawOg, drawWholeOg, type OgAssets } from '../src/lib/og/render.ts';
import { OG_HEIGHT, OG_WIDTH } from '../src/lib/og/size.ts';
import { pagesArgument } from './lib/bench/cli.ts';
import { machineBusyTicks, readStatus } from './lib/bench/measure.ts';
import { loadAverage, medianBy, table } from './lib/bench/report.ts';
import { BUILD_EPOCH_SECONDS, generateSite, planSite } from './lib/bench/trust-center.ts';
import { removeSite } from './lib/site-copy.ts';
import { CONTENT_DIR } from '../src/lib/content/dir.ts';

const WAYS = { whole: drawWholeOg, band: drawOg } as const;
type Way = keyof typeof WAYS;
const LEVELS = [1, 3, 4, 6, 9];
/**
 * What a drawing process does after each image to free resvg's buffers: the drawing process's own
 * (src/lib/og/collect.ts), the full collection every 8 images it made before 2026-12-05, and none.
 */
const COLLECTIONS = {
	'scavenge after each image (the build’s)': (_i: number) => collectAfterImage(),
	'full collection every 8 images (before)': (i: number) => {
		if ((i + 1) % 8 === 0) (globalThis as { gc?: () => void }).gc?.();
	},
	none: (_i: number) => {},
} as const;
type Collection = keyof typeof COLLECTIONS;
const WARM_UP = 4;

/** What a drawing child reports: its CPU time per image after warming up, all threads, and its peak RSS. */
interface ChildReport {
	cpuMs: number;
	hwm: number;
}

/**
 * A child that draws every card one way, collecting garbage one way, as a drawing process does (its
 * event loop turns between images): `--child <way> <collection> <job.json>`.
 */
async function child(way: Way, collection: Collection, jobFile: string): Promise<void> {
	const { inputs, site, logo, cacheDir } = JSON.parse(readFileSync(jobFile, 'utf8')) as Job;
	const assets = siteOgAssets(
		site,
		CONTENT_DIR,
		{ logo: { light: logo }, language: 'en' },
		cacheDir,
	);
	for (const input of inputs.slice(0, WARM_UP)) await WAYS[way](input, assets);
	const start = process.cpuUsage();
	for (const [i, input] of inputs.entries()) {
		await WAYS[way](input, assets);
		COLLECTIONS[collection](i);
		await new Promise(setImmediate);
	}
	// VmHWM, not getrusage's maxRSS, which Linux carries over from the parent at exec.
	process.send!({
		cpuMs: cpuMs(start) / inputs.length,
		hwm: readStatus(process.pid)!.hwm,
	} satisfies ChildReport);
}

interface Job {
	inputs: OgInput[];
	site: string;
	logo: string;
	cacheDir: string;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
	const used = process.cpuUsage(since);
	return (used.user + used.system) / 1000;
};

/** Draws `input` one way, returning the PNG and the CPU milliseconds it took. */
async function timed(way: Way, input: OgInput, assets: OgAssets) {
	const start = process.cpuUsage();
	const png = await WAYS[way](input, assets);
	return { png, ms: cpuMs(start) };
}

function drawingProcess(way: Way, collection: Collection, jobFile: string): Promise<ChildReport> {
	return new Promise((resolve, reject) => {
		const drawer = fork(import.meta.filename, ['--child', way, collection, jobFile], {
			execArgv: COLLECT_EXEC_ARGV,
		});
		drawer.on('message', (report: ChildReport) => resolve(report));
		drawer.on('exit', (code) =>
			code === 0 ? undefined : reject(new Error(`${way}, ${collection}: exit ${code}`)),
		);
	});
}

const median = (values: number[]) => medianBy(values, (v) => v)!;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function main(): Promise<void> {
	const parsed = pagesArgument(process.argv.slice(2), 200);
	if (!parsed.ok) {
		console.error(`bench:og: ${parsed.error}`);
		process.exit(1);
	}
	const { pages } = parsed;
	const { site, source } = generateSite('bench-og', planSite(pages));
	try {
		const { content } = loadContent(site, CONTENT_DIR);
		const freshness = {
			now: new Date(BUILD_EPOCH_SECONDS * 1000),
			maxEvidenceAgeDays: content!.site.controlStatus.maxEvidenceAgeDays,
		};
		const inputs = expectedPages(readSourcePages(site, CONTENT_DIR)).map((page) =>
			ogInputFor(page.pathname, page.meta, content!, freshness, ENGLISH),
		);
		const job: Job = {
			inputs,
			site,
			logo: content!.site.logo.light,
			cacheDir: join(site, '.cache/og'),
		};
		const assets = siteOgAssets(site, CONTENT_DIR, content!.site, job.cacheDir);
		console.log(
			`Drawing the ${inputs.length} cards of a ${pages}-page trust center (${inputs.filter((i) => i.counts).length} with a counts bar) both ways, alternating…`,
		);
		for (const input of inputs.slice(0, WARM_UP))
			for (const way of Object.keys(WAYS) as Way[]) await WAYS[way](input, assets);

		const load: [number, number] = [loadavg()[0]!, 0];
		const busyBefore = machineBusyTicks();
		const wallStart = performance.now();
		const cpuStart = process.cpuUsage();
		const runs: Record<Way, { ms: number[]; bytes: number[] }> = {
			whole: { ms: [], bytes: [] },
			band: { ms: [], bytes: [] },
		};
		const pngs: Array<Record<Way, Buffer>> = [];
		for (const [i, input] of inputs.entries()) {
			const order: Way[] = i % 2 === 0 ? ['whole', 'band'] : ['band', 'whole'];
			const drawn = {} as Record<Way, Buffer>;
			for (const way of order) {
				const { png, ms } = await timed(way, input, assets);
				runs[way].ms.push(ms);
				runs[way].bytes.push(png.length);
				drawn[way] = png;
			}
			pngs.push(drawn);
		}
		const wallS = (performance.now() - wallStart) / 1000;
		const ownS = cpuMs(cpuStart) / 1000;
		const otherLoad =
			((machineBusyTicks() - busyBefore) / 100 - ownS) / (wallS * availableParallelism());
		load[1] = loadavg()[0]!;

		let differing = 0;
		let largest = 0;
		const levels = LEVELS.map(() => ({ ms: 0, bytes: 0 }));
		for (const { whole, band } of pngs) {
			const a = PNG.sync.read(whole);
			const b = PNG.sync.read(band);
			differing += pixelmatch(a.data, b.data, undefined, OG_WIDTH, OG_HEIGHT, { threshold: 0.1 });
			for (let j = 0; j < a.data.length; j++)
				largest = Math.max(largest, Math.abs(a.data[j]! - b.data[j]!));
			const scanlines = scanlinesOf({ width: OG_WIDTH, height: OG_HEIGHT, pixels: b.data });
			LEVELS.forEach((level, k) => {
				const start = process.cpuUsage();
				const png = encodePng(scanlines, level);
				levels[k]!.ms += cpuMs(start);
				levels[k]!.bytes += png.length;
			});
		}

		const jobFile = join(source, 'job.json');
		writeFileSync(jobFile, JSON.stringify(job));
		// Each drawing process draws every card; the band is drawn once per way of collecting garbage.
		const collections = Object.keys(COLLECTIONS) as [Collection, ...Collection[]];
		const whole = await drawingProcess('whole', collections[0], jobFile);
		const bands = {} as Record<Collection, ChildReport>;
		for (const collection of collections)
			bands[collection] = await drawingProcess('band', collection, jobFile);
		const rss = { whole: whole.hwm, band: bands[collections[0]].hwm };
		const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;

		const row = (label: string, f: (way: Way) => string) => [label, f('whole'), f('band')];
		const ratio = (f: (way: Way) => number) => `${(f('band') / f('whole')).toFixed(2)}x`;
		const cpuPer = (way: Way) => sum(runs[way].ms) / inputs.length;
		console.log(
			`\n${table(
				['Per image', 'Whole card', 'Band over frame', 'Band / whole'],
				[
					[...row('CPU, mean', (w) => ms(cpuPer(w))), ratio(cpuPer)],
					[...row('CPU, median', (w) => ms(median(runs[w].ms))), ratio((w) => median(runs[w].ms))],
					[
						...row('PNG size, mean', (w) => kb(sum(runs[w].bytes) / inputs.length)),
						ratio((w) => sum(runs[w].bytes)),
					],
					[...row('Peak RSS, drawing process', (w) => mib(rss[w])), ratio((w) => rss[w])],
				],
			)}`,
		);
		console.log(
			`Pixels differing (pixelmatch, threshold 0.1): ${differing} in ${inputs.length} cards; largest difference in a channel: ${largest}.`,
		);
		console.log(
			`\n${table(
				['zlib level (band over frame)', 'CPU per image', 'PNG size'],
				LEVELS.map((level, k) => [
					String(level),
					ms(levels[k]!.ms / inputs.length),
					kb(levels[k]!.bytes / inputs.length),
				]),
			)}`,
		);
		console.log(
			`\n${table(
				[
					'Drawing process (band over frame), after each image',
					'CPU per image, all threads',
					'Peak RSS',
				],
				collections.map((c) => [c, ms(bands[c].cpuMs), mib(bands[c].hwm)]),
			)}`,
		);
		console.log(
			`\nLoad average ${loadAverage(load)}; other load on the CPUs while timing: ${Math.round(otherLoad * 100)}%.`,
		);
	} finally {
		for (const dir of [site, source]) removeSite(dir);
	}
}

if (process.argv[2] === '--child')
	await child(process.argv[3] as Way, process.argv[4] as Collection, process.argv[5]!);
else await main();
