import type { TimedLine } from './measure.ts';

/** A stretch of the build between two lines Astro prints, timed by when the lines arrived. */
export interface Phase {
	name: string;
	ms: number;
}

/** Time spent rendering one group of routes, from Astro's per-route `(+Nms)` figures. */
export interface RouteGroup {
	group: string;
	routes: number;
	ms: number;
}

// Lines Astro 7 prints at the start of each stage. A phase runs from its marker to the next one seen,
// so a stage a build skips simply merges into the one before.
const MARKERS: [name: string, pattern: RegExp][] = [
	['startup (node, config, content checks)', /^/],
	['content sync', /\[content\] Syncing content/],
	['types + build info', /\[content\] Synced content/],
	['vite bundle', /\[build\] Building static entrypoints/],
	['static generation', /generating static routes/],
	['post-build hooks', /^\S*\s*✓ Completed in/],
	['pagefind', /\[starlight:pagefind\] Building search index/],
	['sitemap + OG images', /\[starlight:pagefind\] Finished building search index/],
	// The OG images step logs when it is done; the precompression (last integration) runs after it.
	['precompress + exit', /\[trust-center:og-images\] OG images:/],
];

/** The page count from `[build] N page(s) built`, or undefined if the build never got that far. */
export function pagesBuilt(lines: TimedLine[]): number | undefined {
	for (const { text } of lines) {
		const match = /\[build\] (\d+) page\(s\) built/.exec(text);
		if (match) return Number(match[1]);
	}
	return undefined;
}

/** The phase a line starts, if it is one of the stage markers (for live progress). */
export function phaseStarted(text: string): string | undefined {
	return MARKERS.slice(1).find(([, pattern]) => pattern.test(text))?.[0];
}

/** The build split into phases, by when each stage's first line arrived. */
export function phases(lines: TimedLine[], wallMs: number): Phase[] {
	const starts: { name: string; ms: number }[] = [{ name: MARKERS[0]![0], ms: 0 }];
	let from = 0;
	for (const [name, pattern] of MARKERS.slice(1)) {
		// Markers are searched in order, so "✓ Completed in" matches the line after route generation only.
		const index = lines.findIndex((line, i) => i >= from && pattern.test(line.text));
		if (index === -1) continue;
		starts.push({ name, ms: lines[index]!.ms });
		from = index + 1;
	}
	return starts.map((s, i) => ({ name: s.name, ms: (starts[i + 1]?.ms ?? wallMs) - s.ms }));
}

/**
 * Sums Astro's per-route render times by kind of page. A route's timing can land on the next line when a
 * warning interrupts it, so a timing without a route belongs to the last route that had none.
 */
export function routeGroups(lines: TimedLine[]): RouteGroup[] {
	const groups = new Map<string, RouteGroup>();
	let pending: string | undefined;
	for (const { text } of lines) {
		const route = /[├└]─ (\/\S*?)(?=\s|\d\d:\d\d:\d\d|$)/.exec(text)?.[1];
		const timing = /\(\+(\d+(?:\.\d+)?)(ms|s)\)/.exec(text);
		if (route && !timing) pending = route;
		const path = route ?? pending;
		if (!timing || !path) continue;
		if (!route) pending = undefined;
		const ms = Number(timing[1]) * (timing[2] === 's' ? 1000 : 1);
		const group = groupOf(path);
		const entry = groups.get(group) ?? { group, routes: 0, ms: 0 };
		entry.routes++;
		entry.ms += ms;
		groups.set(group, entry);
	}
	return [...groups.values()].sort((a, b) => b.ms - a.ms);
}

/** The kind of a route: `/policies/x/index.html` is "policies/*", `/policies/index.html` an index page. */
function groupOf(path: string): string {
	if (!path.endsWith('.html')) return 'endpoints (feeds, json, txt)';
	if (path === '/404.html') return '404';
	const segments = path.split('/').filter(Boolean).slice(0, -1);
	if (segments.length <= 1) return 'index pages';
	return `${segments[0]}/*`;
}

/** How many content warnings the trust center printed (its report starts "N content warning(s)"). */
export function contentWarnings(lines: TimedLine[]): number {
	for (const { text } of lines) {
		const match = /(\d+) content warnings?\b/.exec(text);
		if (match) return Number(match[1]);
	}
	return 0;
}

/** The lines worth showing when a build fails: no bundler notices, just the last `count` others. */
export function failureTail(lines: TimedLine[], count = 40): string {
	const useful = lines
		.map((l) => l.text)
		.filter((t) => t.trim() !== '' && !/MODULE_LEVEL_DIRECTIVE|^\s*(│|╭|╰|─|\d+ │)/.test(t));
	return useful.slice(-count).join('\n');
}

/** The steps `npm run build` timed, from its `[build] <step>: 12.3 s` lines (the total left out). */
export function chainSteps(lines: TimedLine[]): Phase[] {
	return lines.flatMap(({ text }) => {
		const match = /^\[build\] ([^:]+): (\d+(?:\.\d+)?) s$/.exec(text.trim());
		return match && match[1] !== 'total' ? [{ name: match[1]!, ms: Number(match[2]) * 1000 }] : [];
	});
}
