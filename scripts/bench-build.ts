/**
 * Build benchmark: how much slower and heavier is the trust center than a bare Starlight site of the
 * same size? Generates a synthetic trust center of about N pages, builds it, builds a bare Starlight
 * site with as many pages of the same prose, and compares wall time, pages/s, peak RSS, the size of
 * a page and the Pagefind index.
 *
 *   npm run bench:build -- --pages 2000 [--keep]
 *
 * Figures go to the terminal and to .tmp/bench-build.json; each build's full log to .tmp/bench-build-*.log.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import {
	chainSteps,
	contentWarnings,
	failureTail,
	pagesBuilt,
	phases,
	phaseStarted,
	routeGroups,
	type Phase,
} from './lib/bench/build-log.ts';
import { makeBareStarlight } from './lib/bench/bare-starlight.ts';
import { parseCli, USAGE, type BenchOptions } from './lib/bench/cli.ts';
import { countFiles, dirSize } from './lib/bench/files.ts';
import { measureProcess, type Measurement } from './lib/bench/measure.ts';
import {
	bytes,
	chainTable,
	loadAverage,
	goalsTable,
	medianRun,
	NOISY_LOAD,
	phaseTable,
	RATIO_THRESHOLD,
	routeTable,
	roundsTable,
	seconds,
	summaryTable,
	type BenchResult,
	type ChainResult,
	type SiteResult,
} from './lib/bench/report.ts';
import {
	BUILD_EPOCH_SECONDS,
	generateSite,
	planSite,
	type GeneratedTrustCenter,
} from './lib/bench/trust-center.ts';
import { removeSite, ROOT } from './lib/site-copy.ts';
import { checkContent } from '../src/integration/trust-center.ts';

const RESULT_FILE = join(ROOT, '.tmp/bench-build.json');
const HEARTBEAT_MS = 15_000;

/** Folders this run created, removed at the end unless --keep. */
const created: string[] = [];
let keepAll = false;

async function main(): Promise<void> {
	const options = readOptions(process.argv.slice(2));
	keepAll = options.keep;
	// Ctrl-C would otherwise leave the site copies (tens of megabytes each) behind in .tmp/.
	process.once('SIGINT', () => {
		cleanUp();
		process.exit(130);
	});
	const site = generateStep(options.pages);
	const words = site.generated.words.docs + site.generated.words.pages + site.generated.words.faq;
	// The public builds take turns, so that a drift in the machine's speed falls on both sites alike.
	const trustCenterRuns = [await buildStep('2/5', roundLabel('trust center', 1), site.dir, words)];
	const bare = bareStep(site.generated, trustCenterRuns[0]!.pages);
	const bareRuns = [await buildStep('4/5', roundLabel('bare Starlight', 1), bare.dir, bare.words)];
	for (let round = 2; round <= options.rounds; round++) {
		const of = `round ${round}/${options.rounds}`;
		trustCenterRuns.push(await buildStep(of, roundLabel('trust center', round), site.dir, words));
		bareRuns.push(await buildStep(of, roundLabel('bare Starlight', round), bare.dir, bare.words));
	}
	const fullBuild = await chainStep('5/5', 'full npm run build, cold', site.dir, true);
	const warmBuild = await chainStep('5/5', 'npm run build, unchanged', site.dir, false);
	const result = assemble(options, site.generated, trustCenterRuns, bareRuns, fullBuild, warmBuild);
	report(result);
	cleanUp();
}

/** The parsed options; prints the problem and exits 1 on bad input. */
function readOptions(argv: string[]): BenchOptions {
	const parsed = parseCli(argv);
	if (!parsed.ok) {
		console.error(`bench:build: ${parsed.error}\n\n${USAGE}`);
		process.exit(1);
	}
	if (parsed.options.help) {
		console.log(USAGE);
		process.exit(0);
	}
	return parsed.options;
}

/** Step 1: writes the synthetic content, then a project copy that uses it. */
function generateStep(pages: number): { generated: GeneratedTrustCenter; dir: string } {
	const plan = planSite(pages);
	progress(
		`Step 1/5: generating a trust center of ${pages} pages: ${plan.controls} controls in ${plan.domains} domains, ${plan.frameworks} frameworks, ` +
			`${plan.policies} policies, ${plan.updates} updates, ${plan.docs} docs pages, ${plan.subprocessors} subprocessors, ${plan.faq} FAQ entries, ${plan.documents} documents`,
	);
	const start = performance.now();
	const { site: dir, source, generated } = generateSite('bench-trust-center', plan);
	track(source);
	track(dir);
	progress(`  written to ${relative(ROOT, dir)} in ${seconds(performance.now() - start)}`);
	validate(dir);
	return { generated, dir };
}

/**
 * Runs the site's own content checks before the build, so content the schemas have outgrown fails in
 * seconds with the site's report instead of after Astro has started. Warnings are fine; errors exit 1.
 */
function validate(dir: string): void {
	try {
		const { warnings } = checkContent(dir, new Date(BUILD_EPOCH_SECONDS * 1000));
		progress(
			`  content passes the site's checks${warnings.length > 0 ? ` (${warnings.length} warnings)` : ''}`,
		);
	} catch (error) {
		console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
		fail(
			`the generated content fails the site's checks (see above); scripts/lib/bench/trust-center.ts needs updating to match the schemas.`,
			dir,
		);
	}
}

/** Step 3: a bare Starlight project that builds as many pages as the trust center did. */
function bareStep(generated: GeneratedTrustCenter, pages: number): { dir: string; words: number } {
	// Starlight adds a 404 page of its own, as the trust center does, so one page fewer of Markdown.
	progress(`Step 3/5: generating bare Starlight with ${pages - 1} Markdown pages (+ its 404)`);
	const bare = makeBareStarlight(generated, pages - 1);
	track(bare.dir);
	progress(`  written to ${relative(ROOT, bare.dir)}`);
	return bare;
}

/** Steps 2 and 4: builds a site while measuring it; exits 1 with the log's tail if the build fails. */
async function buildStep(
	step: string,
	label: string,
	dir: string,
	words: number,
): Promise<SiteResult> {
	progress(`Step ${step}: building ${label} (astro build in ${relative(ROOT, dir)})`);
	// Cold each time: a round after the first would otherwise find the OG images drawn (.cache/og/).
	for (const folder of ['.cache', 'dist'])
		rmSync(join(dir, folder), { recursive: true, force: true });
	const load = loadavg()[0]!;
	const run = await measureBuild(dir, [ASTRO, 'build', '--force']);
	const log = logFile(label);
	writeFileSync(log, run.output);
	if (run.code !== 0) {
		console.error(`\n${failureTail(run.lines)}\n`);
		fail(
			`building ${label} failed (exit code ${run.code}). Full log: ${relative(ROOT, log)}.`,
			dir,
		);
	}
	const result = siteResult(label, dir, words, run, [load, loadavg()[0]!]);
	const warnings = contentWarnings(run.lines);
	progress(
		`  done in ${seconds(result.wallMs)}: ${result.pages} pages, ${result.pagesPerSecond.toFixed(1)} pages/s, peak RSS ${bytes(result.peakRssBytes)}, load average ${loadAverage(result.loadAverage)} (log: ${relative(ROOT, log)})`,
	);
	if (warnings > 0) progress(`  note: the build printed ${warnings} content warnings; see the log`);
	return result;
}

/**
 * Runs the whole `npm run build` chain in the trust center's copy: `cold` first removes every cache
 * (Astro's content stores, the OG images), the build and the whitepaper; otherwise it is a rebuild with
 * nothing changed.
 */
async function chainStep(
	step: string,
	label: string,
	dir: string,
	cold: boolean,
): Promise<ChainResult> {
	progress(`Step ${step}: ${label} (node scripts/build.ts in ${relative(ROOT, dir)})`);
	if (cold)
		for (const folder of ['.cache', 'dist', 'private'])
			rmSync(join(dir, folder), { recursive: true, force: true });
	const load = loadavg()[0]!;
	const run = await measureBuild(dir, [join(dir, 'scripts/build.ts')]);
	const log = logFile(label);
	writeFileSync(log, run.output);
	// A failing step (a whitepaper that does not print) is reported, and the other builds still run.
	if (run.code !== 0)
		progress(
			`  ${label} FAILED (exit code ${run.code}): ${failureTail(run.lines, 3).replaceAll('\n', ' ')} Full log: ${relative(ROOT, log)}.`,
		);
	const result: ChainResult = {
		label,
		failed: run.code !== 0,
		wallMs: run.wallMs,
		peakRssBytes: run.peakRssBytes,
		cpuSeconds: run.cpuSeconds,
		otherLoad: run.otherCpuSeconds / ((run.wallMs / 1000) * availableParallelism()),
		loadAverage: [load, loadavg()[0]!],
		steps: chainSteps(run.lines),
	};
	progress(
		`  done in ${seconds(result.wallMs)} (${result.steps.map((s) => `${s.name} ${seconds(s.ms)}`).join(', ')}), peak RSS ${bytes(result.peakRssBytes)}, load average ${loadAverage(result.loadAverage)} (log: ${relative(ROOT, log)})`,
	);
	return result;
}

const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');
/** A build's label (and log file name): the site, and its round when there are several. */
const roundLabel = (site: string, round: number) =>
	round === 1 ? site : `${site}, round ${round}`;
const logFile = (label: string) =>
	join(ROOT, '.tmp', `bench-build-${label.replace(/[\s,]+/g, '-').toLowerCase()}.log`);

/** Runs `args` with Node in `dir` the way buildSite does, printing a heartbeat while it runs. */
function measureBuild(dir: string, args: string[]): Promise<Measurement> {
	// DEBUG would make Astro log every module and skew the timing, so it is dropped from the environment.
	const { DEBUG: _debug, ...env } = process.env;
	let routes = 0;
	let phase = 'starting';
	let rss = 0;
	let nextBeat = HEARTBEAT_MS;
	return measureProcess(process.execPath, args, {
		cwd: dir,
		// As buildSite: NODE_ENV=test (from a test runner) would make Astro build in dev mode, without search.
		// SOURCE_DATE_EPOCH pins the site's clock to the date the generated content was written for.
		env: {
			...env,
			NODE_ENV: 'production',
			ASTRO_TELEMETRY_DISABLED: '1',
			NO_COLOR: '1',
			FORCE_COLOR: '0',
			SOURCE_DATE_EPOCH: String(BUILD_EPOCH_SECONDS),
		},
		onLine: (line) => {
			if (/[├└]─ \//.test(line.text)) routes++;
			phase = phaseStarted(line.text) ?? phase;
		},
		onSample: (bytesNow, elapsed) => {
			rss = bytesNow;
			if (elapsed < nextBeat) return;
			nextBeat += HEARTBEAT_MS;
			progress(
				`  ${Math.round(elapsed / 1000)} s: ${phase}${routes > 0 ? `, ${routes} routes rendered` : ''}, RSS ${bytes(rss)}`,
			);
		},
	});
}

/** Figures of one build, from its measurement and its dist folder. */
function siteResult(
	label: string,
	dir: string,
	words: number,
	run: Measurement,
	loadAverage: [number, number],
): SiteResult {
	const dist = join(dir, 'dist');
	const htmlFiles = countFiles(dist, '.html');
	const pages = pagesBuilt(run.lines) ?? htmlFiles;
	return {
		label,
		pages,
		htmlFiles,
		words,
		wallMs: run.wallMs,
		pagesPerSecond: pages / (run.wallMs / 1000),
		peakRssBytes: run.peakRssBytes,
		mainHwmBytes: run.mainHwmBytes,
		peakTreeRssBytes: run.peakTreeRssBytes,
		pagefindBytes: dirSize(join(dist, 'pagefind')),
		htmlBytes: dirSize(dist, '.html'),
		samples: run.samples,
		cpuSeconds: run.cpuSeconds,
		otherLoad: run.otherCpuSeconds / ((run.wallMs / 1000) * availableParallelism()),
		loadAverage,
		phases: phases(run.lines, run.wallMs),
		routes: routeGroups(run.lines),
	};
}

function assemble(
	options: BenchOptions,
	generated: GeneratedTrustCenter,
	trustCenterRuns: SiteResult[],
	bareRuns: SiteResult[],
	fullBuild: ChainResult,
	warmBuild: ChainResult,
): BenchResult {
	const trustCenter = medianRun(trustCenterRuns);
	const bare = medianRun(bareRuns);
	return {
		pagesRequested: options.pages,
		plan: generated.plan,
		trustCenter,
		bare,
		rounds: trustCenterRuns.map((run, i) => ({
			trustCenterMs: run.wallMs,
			bareMs: bareRuns[i]!.wallMs,
			loadAverage: [run.loadAverage[0], bareRuns[i]!.loadAverage[1]],
		})),
		fullBuild,
		warmBuild,
		ratio: trustCenter.wallMs / bare.wallMs,
		environment: {
			node: process.version,
			platform: `${process.platform}-${process.arch}`,
			cpus: availableParallelism(),
			memoryBytes: totalmem(),
			date: new Date().toISOString(),
		},
	};
}

/** Prints the tables (and, when the trust center is notably slower, where its time goes) and writes the JSON. */
function report(result: BenchResult): void {
	writeFileSync(RESULT_FILE, `${JSON.stringify(result, null, 2)}\n`);
	const { trustCenter: tc, bare } = result;
	if (tc.pages !== result.pagesRequested)
		progress(`note: asked for ${result.pagesRequested} pages, the trust center built ${tc.pages}`);
	if (tc.pages !== bare.pages)
		progress(`note: page counts differ (trust center ${tc.pages}, bare ${bare.pages})`);
	console.log(`\nBuild phases (from when Astro printed each stage):\n\n${phaseTable(result)}`);
	console.log(
		`\nTrust center, render time by route (Astro's per-route figures):\n\n${routeTable(tc)}`,
	);
	console.log(`\nBare Starlight, render time by route:\n\n${routeTable(bare)}`);
	if (result.ratio > RATIO_THRESHOLD)
		console.log(`\n${explainRatio(tc.phases, bare.phases, tc.wallMs - bare.wallMs)}`);
	const noisy = [tc, bare].filter((site) => site.otherLoad > NOISY_LOAD);
	for (const site of noisy) {
		console.log(
			`\nWarning: other processes used ${Math.round(site.otherLoad * 100)}% of the CPUs during the ${site.label} build, so its wall time is inflated. Compare CPU time, or run again on a quiet machine.`,
		);
	}
	if (result.rounds.length > 1)
		console.log(
			`\nPublic builds, taking turns (the figures below are each site's median run):\n\n${roundsTable(result)}`,
		);
	console.log(
		`\nResults for ${result.pagesRequested} requested pages (${result.environment.cpus} CPUs, Node ${result.environment.node}):\n\n${summaryTable(result)}`,
	);
	console.log(
		`\nThe whole npm run build, against bare Starlight's astro build:\n\n${chainTable(result)}`,
	);
	console.log(`\nGoals (issue 13):\n\n${goalsTable(result)}`);
	console.log(`\nFigures written to ${relative(ROOT, RESULT_FILE)}`);
}

/** Names the phases that account for most of the extra wall time. */
function explainRatio(tc: Phase[], bare: Phase[], extraMs: number): string {
	const diffs = tc
		.map((p) => ({ name: p.name, ms: p.ms - (bare.find((b) => b.name === p.name)?.ms ?? 0) }))
		.filter((d) => d.ms > 0)
		.sort((a, b) => b.ms - a.ms);
	const lines = diffs
		.slice(0, 3)
		.map(
			(d) =>
				`  ${d.name}: +${seconds(d.ms)} (${Math.round((d.ms / extraMs) * 100)}% of the difference)`,
		);
	return `The trust center takes ${seconds(extraMs)} longer than bare Starlight (ratio above ${RATIO_THRESHOLD}). Largest differences:\n${lines.join('\n')}`;
}

/** Removes the generated folders unless --keep, except `spare` (a failed site worth a look). */
function cleanUp(spare?: string): void {
	if (keepAll) {
		progress(`Kept: ${created.map((d) => relative(ROOT, d)).join(', ')}`);
		return;
	}
	for (const dir of created) if (dir !== spare) removeSite(dir);
}

/** Prints the problem, cleans up all but the failed site, and exits 1. */
function fail(message: string, site?: string): never {
	console.error(
		`bench:build: ${message}${site ? ` The site is kept in ${relative(ROOT, site)} for a look.` : ''}`,
	);
	cleanUp(site);
	process.exit(1);
}

function track(dir: string): string {
	created.push(dir);
	return dir;
}

function progress(message: string): void {
	console.log(`[bench] ${message}`);
}

await main().catch((error: unknown) =>
	fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
