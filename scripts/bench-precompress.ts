/**
 * npm run bench:precompress -- [--dist <folder>]: what the build's compressed copies of the pages cost
 * at each compression level, side by side in one process: CPU seconds and bytes (as a share of the
 * pages' own) for the levels the build uses and the ones next to them. The pages are most of what the
 * build compresses; on a 2,000-page site (npm run bench:build -- --pages 2000 --keep, then its trust
 * center's dist/) they are hundreds of megabytes. Then Pagefind's files, one table row each for the
 * kinds a query loads (index chunks, result fragments, the page list, filters), at the brotli quality
 * the build gives them and at 11: CPU seconds, bytes in all, and bytes a file. Asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { walkFiles } from '../src/lib/files.ts';
import {
	BROTLI_PAGE_QUALITY,
	brotliOptions,
	brotliQuality,
	GZIP_LEVEL,
} from '../src/lib/precompress.ts';
import { ROOT } from './lib/site-copy.ts';
import { benchFlags } from './lib/bench/cli.ts';

const flags = benchFlags('npm run bench:precompress', { dist: { type: 'string' } });
const dist = resolve(flags.dist ?? join(ROOT, 'dist'));
const pages = walkFiles(dist, (name) => name.endsWith('.html')).map((file) => readFileSync(file));
if (pages.length === 0) {
	console.error(
		`bench:precompress found no pages (.html) in ${dist}. Run npm run build first, or name a built site with --dist <folder>.`,
	);
	process.exit(1);
}
const total = pages.reduce((sum, page) => sum + page.length, 0);

/** CPU seconds and output bytes of compressing every one of `files` with `compress`. */
function measure(
	files: readonly Buffer[],
	compress: (file: Buffer) => Buffer,
): { cpuSeconds: number; bytes: number } {
	const start = process.cpuUsage();
	let bytes = 0;
	for (const file of files) bytes += compress(file).length;
	const used = process.cpuUsage(start);
	return { cpuSeconds: (used.user + used.system) / 1e6, bytes };
}

const gzip = (level: number) => (page: Buffer) => gzipSync(page, { level });
const brotli = (quality: number) => (page: Buffer) =>
	brotliCompressSync(page, brotliOptions(quality, page.length));
const settings = [
	...[1, 3, 4, 6].map((level) => ({
		name: `gzip level ${level}`,
		used: level === GZIP_LEVEL,
		run: gzip(level),
	})),
	...[4, 5, 6].map((quality) => ({
		name: `brotli quality ${quality}`,
		used: quality === BROTLI_PAGE_QUALITY,
		run: brotli(quality),
	})),
];

console.log(
	`${pages.length} pages, ${(total / 1024 ** 2).toFixed(1)} MiB, in ${dist}\n\n${'Setting'.padEnd(30)}${'CPU'.padStart(10)}${'Bytes'.padStart(10)}`,
);
for (const setting of settings) {
	const { cpuSeconds, bytes } = measure(pages, setting.run);
	console.log(
		`${`${setting.name}${setting.used ? ' (the build)' : ''}`.padEnd(30)}${`${cpuSeconds.toFixed(2)} s`.padStart(10)}${`${((bytes / total) * 100).toFixed(2)}%`.padStart(10)}`,
	);
}

/** Pagefind's files by kind; Pagefind gzips them itself, and their brotli copy holds the inflated bytes. */
const PAGEFIND_KINDS = [
	{ name: 'index chunks', pattern: /[/\\]index[/\\][^/\\]+\.pf_index$/ },
	{ name: 'fragments', pattern: /\.pf_fragment$/ },
	{ name: 'page list', pattern: /\.pf_meta$/ },
	{ name: 'filters', pattern: /\.pf_filter$/ },
];
console.log(
	`\nPagefind's files, inflated, with brotli\n\n${'Kind, quality'.padEnd(30)}${'Files'.padStart(8)}${'CPU'.padStart(10)}${'Bytes'.padStart(12)}${'A file'.padStart(10)}`,
);
const pagefindFiles = walkFiles(join(dist, 'pagefind'));
for (const kind of PAGEFIND_KINDS) {
	const paths = pagefindFiles.filter((file) => kind.pattern.test(file));
	if (paths.length === 0) continue;
	const files = paths.map((file) => gunzipSync(readFileSync(file)));
	// As the build chooses (no WebAssembly among these, so none needs the languages it loads).
	const built = brotliQuality(paths[0]!, new Set());
	for (const quality of [BROTLI_PAGE_QUALITY, 11]) {
		const { cpuSeconds, bytes } = measure(files, brotli(quality));
		console.log(
			`${`${kind.name}, ${quality}${quality === built ? ' (the build)' : ''}`.padEnd(30)}${String(files.length).padStart(8)}${`${cpuSeconds.toFixed(2)} s`.padStart(10)}${`${(bytes / 1024).toFixed(1)} KB`.padStart(12)}${`${Math.round(bytes / files.length)} B`.padStart(10)}`,
		);
	}
}
