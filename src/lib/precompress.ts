// Brotli and gzip copies of the built site's text files, written next to each one (index.html.br,
// index.html.gz) at build time, so that the gate sends compressed bytes without compressing per request.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { brotliCompress, constants, gunzipSync, gzip, type BrotliOptions } from 'node:zlib';
import { walkFiles } from './files.ts';

/** The content codings the build writes, in the order the gate prefers them, with their file suffix. */
export const ENCODINGS = [
	{ name: 'br', suffix: '.br' },
	{ name: 'gzip', suffix: '.gz' },
] as const;

export type Encoding = (typeof ENCODINGS)[number]['name'];

/** Files worth compressing: text, and WebAssembly. Images, fonts, PDFs and Pagefind's index are compressed already. */
const COMPRESSIBLE = /\.(html|css|js|mjs|json|xml|txt|csv|svg|webmanifest|wasm|ico)$/;

/**
 * Pagefind's WebAssembly, index and result fragments, which Pagefind gzips itself and inflates in
 * JavaScript unless their bytes already start with its "pagefind_dcd" signature. Their brotli copy holds
 * the inflated bytes: smaller than Pagefind's gzip, inflated by the browser, and read by Pagefind as is.
 */
const PAGEFIND_GZIP = /\.(pagefind|pf_fragment|pf_index|pf_meta|pf_filter)$/;

/** Below this size the saving is smaller than the headers that announce it. */
const MIN_SIZE = 1024;

/**
 * The brotli quality of pages and of Pagefind's per-page files: brotli's best (11) costs about 1 s per
 * 100 KB of HTML on a busy core, and quality 5 is 10% larger at a twentieth of the time, which keeps a
 * 2,000-page build fast (`npm run bench:precompress`: quality 4 is 14% larger again, at 60% of the time).
 */
export const BROTLI_PAGE_QUALITY = 5;

/**
 * Brotli's best quality is paid only for the assets pages and search load (Astro's hashed bundles;
 * Pagefind's script, entry, page list and filters, one file each, and the WebAssembly of the site's
 * language). Pages, Pagefind's per-page fragments and index chunks (quality 11 would take 1 KB off a
 * query's chunk for 5 s more CPU on a 2,000-page site), the Pagefind UI bundles Starlight does not load
 * (it bundles its own UI into _astro/), Pagefind's worker (the search box runs Pagefind in the page:
 * src/integration/search.ts) and its WebAssembly for languages the site does not have get
 * {@link BROTLI_PAGE_QUALITY}. `loadedWasm` names the WebAssembly files search loads.
 */
export const brotliQuality = (path: string, loadedWasm: ReadonlySet<string>): number => {
	const wasm = /[/\\]pagefind[/\\](wasm\.[^/\\]+)$/.exec(path)?.[1];
	if (wasm) return loadedWasm.has(wasm) ? 11 : BROTLI_PAGE_QUALITY;
	return /[/\\]_astro[/\\]|[/\\]pagefind[/\\](pagefind\.js|pagefind-entry\.json|pagefind\.[^/\\]+\.pf_meta|filter[/\\][^/\\]+\.pf_filter)$/.test(
		path,
	)
		? 11
		: BROTLI_PAGE_QUALITY;
};

/**
 * The WebAssembly files Pagefind's script loads: one per language of the pages, named in its entry file
 * (`wasm.en.pagefind`); `wasm.unknown.pagefind` only for a language without its own. None before Pagefind ran.
 */
function loadedWasm(dist: string): Set<string> {
	const entry = join(dist, 'pagefind', 'pagefind-entry.json');
	if (!existsSync(entry)) return new Set();
	const { languages } = JSON.parse(readFileSync(entry, 'utf8')) as {
		languages: Record<string, { wasm?: string | null }>;
	};
	return new Set(Object.values(languages).map((l) => `wasm.${l.wasm || 'unknown'}.pagefind`));
}

/**
 * gzip is for the few clients without brotli (and for CDNs that fetch gzip from the origin): level 6,
 * zlib's default, is within 1% of level 9's size on the built pages at three quarters of its time.
 * Level 3 halves its time (`npm run bench:precompress`, 2,000 pages: 2.6 s of CPU saved out of the
 * build's 200) for copies 16% larger: not worth it.
 */
export const GZIP_LEVEL = 6;

/** Brotli's options for `size` bytes at `quality`: the size hint lets it pick its window for the file. */
export function brotliOptions(quality: number, size: number): BrotliOptions {
	return {
		params: {
			[constants.BROTLI_PARAM_QUALITY]: quality,
			[constants.BROTLI_PARAM_SIZE_HINT]: size,
		},
	};
}

/** Whether `name` is a compressed copy the build wrote (`index.html.br`, `index.html.gz`). */
export function isCompressedCopy(name: string): boolean {
	return ENCODINGS.some(({ suffix }) => name.endsWith(suffix));
}

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** Writes the compressed copies of one file, each only when it is smaller than the file; returns their sizes. */
async function compressFile(
	path: string,
	loaded: ReadonlySet<string>,
): Promise<{ size: number; br: number; gzip: number }> {
	const bytes = await readFile(path);
	const result = { size: bytes.length, br: bytes.length, gzip: bytes.length };
	if (bytes.length < MIN_SIZE) return result;
	const pagefind = PAGEFIND_GZIP.test(path);
	if (pagefind && !(bytes[0] === 0x1f && bytes[1] === 0x8b)) return result;
	const text = pagefind ? gunzipSync(bytes) : bytes;
	const [brotli, gzipped] = await Promise.all([
		br(text, brotliOptions(brotliQuality(path, loaded), text.length)),
		// Pagefind's own file is its gzip copy.
		pagefind ? bytes : gz(bytes, { level: GZIP_LEVEL }),
	]);
	for (const [suffix, out, key] of [
		['.br', brotli, 'br'],
		['.gz', gzipped, 'gzip'],
	] as const) {
		if (out.length >= bytes.length) continue;
		await writeFile(path + suffix, out);
		result[key] = out.length;
	}
	return result;
}

/** One file {@link precompress} read: its modification time then, its size, and its brotli copy's (its own size without one). */
export interface Compressed {
	mtimeMs: number;
	size: number;
	br: number;
}

/** What {@link precompress} may leave out, and how many files it works on at once. */
export interface PrecompressOptions {
	/** Files an earlier call read (its `read`): left out unless they changed since. */
	before?: ReadonlyMap<string, Compressed> | undefined;
	/** Leaves out the files (by full path) for which it returns false. */
	include?: ((path: string) => boolean) | undefined;
	/** Files compressed at once (each with its brotli and gzip copies in parallel); one per core by default. */
	concurrency?: number | undefined;
}

/**
 * Writes brotli and gzip copies of every compressible file under `dist`, on as many threads as there are
 * cores. Returns each file it read, for a later call's `before` and for {@link precompressTotals}.
 */
export async function precompress(
	dist: string,
	options: PrecompressOptions = {},
): Promise<{ read: Map<string, Compressed> }> {
	const { before, include = () => true, concurrency = availableParallelism() } = options;
	const files = walkFiles(
		dist,
		(name) => COMPRESSIBLE.test(name) || PAGEFIND_GZIP.test(name),
	).filter(include);
	const loaded = loadedWasm(dist);
	const read = new Map<string, Compressed>();
	let next = 0;
	const worker = async () => {
		while (next < files.length) {
			const path = files[next++]!;
			const { mtimeMs } = await stat(path);
			if (before?.get(path)?.mtimeMs === mtimeMs) continue;
			const { size, br } = await compressFile(path, loaded);
			read.set(path, { mtimeMs, size, br });
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return { read };
}

/** For the build log: files compressed (with a brotli copy), and bytes of text before and after brotli. */
export function precompressTotals(read: Iterable<Compressed>): {
	files: number;
	bytes: number;
	brotliBytes: number;
} {
	const totals = { files: 0, bytes: 0, brotliBytes: 0 };
	for (const { size, br } of read) {
		if (br < size) totals.files++;
		totals.bytes += size;
		totals.brotliBytes += br;
	}
	return totals;
}
