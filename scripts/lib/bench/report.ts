import type { Phase, RouteGroup } from './build-log.ts';
import type { SitePlan } from './trust-center.ts';

/** The figures of one measured build. */
export interface SiteResult {
	label: string;
	/** Pages Astro reported building, 404 included. */
	pages: number;
	/** `.html` files in dist, as a cross-check of `pages`. */
	htmlFiles: number;
	/** Words in the Markdown bodies the site was built from. */
	words: number;
	wallMs: number;
	pagesPerSecond: number;
	peakRssBytes: number;
	mainHwmBytes: number;
	peakTreeRssBytes: number;
	pagefindBytes: number;
	/** Bytes of the `.html` files in dist (their compressed copies aside). */
	htmlBytes: number;
	/** RSS polls taken during the build. */
	samples: number;
	/** CPU seconds the build used, Pagefind included. */
	cpuSeconds: number;
	/** Share of the machine's CPU capacity other processes used during the build (0 to 1). */
	otherLoad: number;
	/** The machine's 1-minute load average when the build started and when it ended. */
	loadAverage: [number, number];
	phases: Phase[];
	routes: RouteGroup[];
}

/** The figures of one run of the whole `npm run build` chain. */
export interface ChainResult {
	label: string;
	/** The chain exited non-zero: its figures cover the steps up to the failure only. */
	failed: boolean;
	wallMs: number;
	/** Peak RSS of the whole process tree (Astro, Pagefind, the OG workers, Chromium). */
	peakRssBytes: number;
	cpuSeconds: number;
	otherLoad: number;
	loadAverage: [number, number];
	/** The steps as the chain timed them (control status, public site, leak check, whitepaper). */
	steps: Phase[];
}

/** Everything one benchmark run found; written as JSON to .tmp/bench-build.json. */
export interface BenchResult {
	pagesRequested: number;
	plan: SitePlan;
	/** The trust center's public build: its median run when there were several rounds. */
	trustCenter: SiteResult;
	/** Bare Starlight's build: its median run when there were several rounds. */
	bare: SiteResult;
	/** Every round's pair of public builds, in the order they ran (trust center, then bare Starlight). */
	rounds: { trustCenterMs: number; bareMs: number; loadAverage: [number, number] }[];
	/** `npm run build` with every cache removed first. */
	fullBuild: ChainResult;
	/** `npm run build` again, nothing changed. */
	warmBuild: ChainResult;
	/** Trust center wall time divided by bare Starlight's. */
	ratio: number;
	environment: { node: string; platform: string; cpus: number; memoryBytes: number; date: string };
}

/** Share of CPU capacity taken by other processes above which wall times are flagged as unreliable. */
export const NOISY_LOAD = 0.1;

/** Trust center wall time relative to bare Starlight's, above which the report says where time went. */
export const RATIO_THRESHOLD = 1.15;

/** The mean size of a built page's HTML. */
const pageBytes = (s: SiteResult) => s.htmlBytes / (s.htmlFiles || 1);

/** The main comparison table: one row per figure, one column per site. */
export function summaryTable(result: BenchResult): string {
	const { trustCenter: tc, bare } = result;
	const row = (name: string, f: (s: SiteResult) => string, extra = '') => [
		name,
		f(tc),
		f(bare),
		extra,
	];
	return table(
		['', 'Trust center', 'Bare Starlight', 'TC / bare'],
		[
			row('Pages built', (s) => String(s.pages), times(tc.pages, bare.pages)),
			row('Markdown words', (s) => s.words.toLocaleString('en-US'), times(tc.words, bare.words)),
			row('Wall time', (s) => seconds(s.wallMs), `${result.ratio.toFixed(2)}x`),
			row(
				'Pages/s',
				(s) => s.pagesPerSecond.toFixed(1),
				times(tc.pagesPerSecond, bare.pagesPerSecond),
			),
			row('Peak RSS', (s) => bytes(s.peakRssBytes), times(tc.peakRssBytes, bare.peakRssBytes)),
			row('HTML per page, mean', (s) => bytes(pageBytes(s)), times(pageBytes(tc), pageBytes(bare))),
			row(
				'Pagefind index',
				(s) => bytes(s.pagefindBytes),
				times(tc.pagefindBytes, bare.pagefindBytes),
			),
			row('CPU time', (s) => seconds(s.cpuSeconds * 1000), times(tc.cpuSeconds, bare.cpuSeconds)),
			row('Other load on CPUs', (s) => `${Math.round(s.otherLoad * 100)}%`),
			row('Load average, start → end', (s) => loadAverage(s.loadAverage)),
		],
	);
}

/** The whole chain, cold and unchanged, each step timed, against bare Starlight's `astro build`. */
export function chainTable(result: BenchResult): string {
	const { fullBuild: full, warmBuild: warm, bare } = result;
	const names = [...new Set([...full.steps, ...warm.steps].map((s) => s.name))];
	const step = (run: ChainResult, name: string) => {
		const ms = run.steps.find((s) => s.name === name)?.ms;
		return ms === undefined ? '-' : seconds(ms);
	};
	return table(
		['', 'Cold', 'Unchanged rebuild'],
		[
			...names.map((name) => [name, step(full, name), step(warm, name)]),
			['Wall time', wall(full), wall(warm)],
			['… / bare Starlight', times(full.wallMs, bare.wallMs), times(warm.wallMs, bare.wallMs)],
			['Peak RSS (process tree)', bytes(full.peakRssBytes), bytes(warm.peakRssBytes)],
			['CPU time', seconds(full.cpuSeconds * 1000), seconds(warm.cpuSeconds * 1000)],
			['Load average, start → end', loadAverage(full.loadAverage), loadAverage(warm.loadAverage)],
		],
	);
}

/**
 * The item of median `value` among `items` (the lower of the middle two for an even count), undefined
 * for none: the one median every benchmark takes.
 */
export function medianBy<T>(items: readonly T[], value: (item: T) => number): T | undefined {
	const sorted = [...items].sort((a, b) => value(a) - value(b));
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The run of median wall time among a site's rounds (the faster of the middle two), whose figures stand for the site. */
export function medianRun(runs: SiteResult[]): SiteResult {
	return medianBy(runs, (r) => r.wallMs)!;
}

/** Each round's pair of public builds and their ratio. */
export function roundsTable(result: BenchResult): string {
	return table(
		['Round', 'Trust center', 'Bare Starlight', 'TC / bare', 'Load average'],
		result.rounds.map((r, i) => [
			String(i + 1),
			seconds(r.trustCenterMs),
			seconds(r.bareMs),
			times(r.trustCenterMs, r.bareMs),
			loadAverage(r.loadAverage),
		]),
	);
}

/** The goals, each ratio against bare Starlight's cold `astro build` in the same run. */
export function goalsTable(result: BenchResult): string {
	const { trustCenter: tc, bare, fullBuild, warmBuild } = result;
	const goal = (name: string, ratio: number, limit: number, failed = false) => [
		name,
		`${ratio.toFixed(2)}x`,
		`≤ ${limit.toFixed(2)}x`,
		failed ? 'build failed' : ratio <= limit ? 'met' : 'not met',
	];
	return table(
		['Goal', 'Measured', 'Target', ''],
		[
			goal('Public astro build, cold: wall time', tc.wallMs / bare.wallMs, 1.15),
			goal('Public astro build, cold: peak RSS', tc.peakRssBytes / bare.peakRssBytes, 1.25),
			goal('npm run build, cold: wall time', fullBuild.wallMs / bare.wallMs, 1.6, fullBuild.failed),
			goal(
				'npm run build, unchanged: wall time',
				warmBuild.wallMs / bare.wallMs,
				0.8,
				warmBuild.failed,
			),
		],
	);
}

function wall(run: ChainResult): string {
	return `${seconds(run.wallMs)}${run.failed ? ' (failed)' : ''}`;
}

/** The 1-minute load averages at a run's start and end, e.g. `3.1 → 4.2`. */
export function loadAverage([start, end]: [number, number]): string {
	return `${start.toFixed(1)} → ${end.toFixed(1)}`;
}

/** Wall time per build phase, side by side. */
export function phaseTable(result: BenchResult): string {
	const names = [
		...new Set([...result.trustCenter.phases, ...result.bare.phases].map((p) => p.name)),
	];
	const find = (s: SiteResult, name: string) => s.phases.find((p) => p.name === name)?.ms;
	return table(
		['Phase', 'Trust center', 'Bare Starlight', 'Difference'],
		names.map((name) => {
			const tc = find(result.trustCenter, name);
			const bare = find(result.bare, name);
			return [
				name,
				tc === undefined ? '-' : seconds(tc),
				bare === undefined ? '-' : seconds(bare),
				tc === undefined || bare === undefined ? '-' : signed(tc - bare),
			];
		}),
	);
}

/** Astro's per-route render times summed by kind of page, for one site. */
export function routeTable(site: SiteResult): string {
	return table(
		['Routes', 'Count', 'Total', 'Avg/route'],
		site.routes.map((g) => [
			g.group,
			String(g.routes),
			seconds(g.ms),
			`${(g.ms / g.routes).toFixed(1)} ms`,
		]),
	);
}

/** A plain-text table, first column left-aligned and the rest right-aligned. */
export function table(headers: string[], rows: string[][]): string {
	const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) =>
		cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
	return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Milliseconds as seconds, e.g. "12.34 s". */
export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(2)} s`;
}

/** Bytes in binary units, e.g. "1.23 GiB". */
export function bytes(n: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB'];
	let value = n;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function times(a: number, b: number): string {
	return b === 0 ? '-' : `${(a / b).toFixed(2)}x`;
}

function signed(ms: number): string {
	return `${ms >= 0 ? '+' : '-'}${seconds(Math.abs(ms))}`;
}
