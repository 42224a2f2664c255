// The one static file server: GET and HEAD of any path from a built site, with its 404 page for unknown
// paths; other methods are refused. The gate mounts it last (its paths match everything) to serve dist/,
// and the whitepaper step serves the NDA edition with it for printing.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { ENCODINGS, type Encoding } from '../../lib/precompress.ts';
import { FILES } from '../../lib/routing/urls.ts';
import type { Env } from '../context.ts';
import { methodRefusal } from '../errors.ts';
import { DOCUMENT_ONLY_HEADERS, subresourceType } from '../middleware/security-headers.ts';

const TYPES = new Map([
	['.html', 'text/html; charset=utf-8'],
	['.css', 'text/css; charset=utf-8'],
	['.js', 'text/javascript; charset=utf-8'],
	['.mjs', 'text/javascript; charset=utf-8'],
	['.json', 'application/json'],
	['.xml', 'application/xml'],
	['.txt', 'text/plain; charset=utf-8'],
	['.csv', 'text/csv; charset=utf-8'],
	['.svg', 'image/svg+xml'],
	['.png', 'image/png'],
	['.ico', 'image/x-icon'],
	['.pdf', 'application/pdf'],
	['.webmanifest', 'application/manifest+json'],
	['.wasm', 'application/wasm'],
	['.woff2', 'font/woff2'],
	['.pf_meta', 'application/octet-stream'],
]);

/** Files whose extension says less than their type: the feeds are XML and JSON of a kind of their own. */
const FILE_TYPES = new Map<string, string>([
	[FILES.atomFeed, 'application/atom+xml; charset=utf-8'],
	[FILES.jsonFeed, 'application/feed+json; charset=utf-8'],
]);

/** The Content-Type of the file at `path` on the site, such as `/updates.xml`: by its path, else its extension. */
export function contentType(path: string): string {
	return FILE_TYPES.get(path) ?? TYPES.get(extname(path)) ?? 'application/octet-stream';
}

/** Maps a URL path to a file under `dir`, or undefined; never escapes `dir`. */
export function resolveStatic(dir: string, urlPath: string): string | undefined {
	let decoded: string;
	try {
		decoded = decodeURIComponent(urlPath.split('?')[0]!);
	} catch {
		return undefined;
	}
	if (decoded.includes('\0')) return undefined;
	const path = normalize(join(dir, decoded));
	if (path !== dir && !path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
	// Dot folders and files are not the site: a build that failed leaves Astro's dist/.prerender/ behind,
	// with every page's source in it, NDA-only blocks included. /.well-known/ is the one the site has.
	if (
		relative(dir, path)
			.split(sep)
			.some((part) => part.startsWith('.') && part !== '.well-known')
	)
		return undefined;
	for (const candidate of [path, join(path, 'index.html')]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	return undefined;
}

/**
 * The URL of a folder under `dir`, as the target of a directory-slash redirect. Built from the resolved
 * folder, never from the request: it starts with exactly one `/` and each segment is percent-encoded
 * (a backslash too), so a browser can never read it as another host.
 */
export function folderUrl(dir: string, folder: string): string {
	const rel = relative(dir, folder);
	return rel === '' ? '/' : `/${rel.split(sep).map(encodeURIComponent).join('/')}/`;
}

/**
 * The coding to send from those `available`, by the request's Accept-Encoding: the one with the highest
 * q-value above 0 (brotli before gzip on a tie, `*` standing for any not named), or undefined for the
 * file as it is. Identity wins only when the client ranks it above both.
 */
export function chooseEncoding(
	acceptEncoding: string | undefined,
	available: readonly Encoding[],
): Encoding | undefined {
	if (!acceptEncoding || available.length === 0) return undefined;
	const q = new Map<string, number>();
	// A hostile header may be long: only its first 32 entries are read.
	for (const part of acceptEncoding.split(',', 32)) {
		const [token = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
		const weight = params.find((p) => p.startsWith('q='));
		const value =
			weight === undefined
				? 1
				: /^q=(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(weight)
					? Number(weight.slice(2))
					: 0;
		const name = token === 'x-gzip' ? 'gzip' : token;
		if (!q.has(name)) q.set(name, value);
	}
	const weight = (name: string) => q.get(name) ?? q.get('*') ?? 0;
	let best: Encoding | undefined;
	for (const name of available) if (weight(name) > (best ? weight(best) : 0)) best = name;
	return best && weight(best) >= (q.get('identity') ?? 0) ? best : undefined;
}

/**
 * Whether a conditional GET may be answered 304: If-None-Match (weak comparison, any of its tags, or `*`)
 * when sent, else If-Modified-Since against the file's time in whole seconds.
 */
export function notModified(
	headers: { ifNoneMatch: string | undefined; ifModifiedSince: string | undefined },
	etag: string,
	modifiedSeconds: number,
): boolean {
	if (headers.ifNoneMatch !== undefined) {
		const bare = (tag: string) => tag.trim().replace(/^W\//, '');
		return headers.ifNoneMatch
			.split(',')
			.some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
	}
	if (headers.ifModifiedSince === undefined) return false;
	const since = Date.parse(headers.ifModifiedSince);
	return !Number.isNaN(since) && modifiedSeconds <= Math.floor(since / 1000);
}

/** One way to send a file: as it is, or one of its precompressed copies beside it. */
interface Representation {
	file: string;
	size: number;
	/** The file's modification time when the entry was made: with `size`, how a replaced file is told. */
	mtimeMs: number;
	etag: string;
	encoding?: Encoding;
}

/** What the gate knows about a built file after its first request. */
interface Entry {
	type: string;
	/** Whether the file's type never becomes a document: it goes without the document-only headers. */
	subresource: boolean;
	modifiedSeconds: number;
	lastModified: string;
	representations: Representation[];
}

/**
 * The file and its precompressed copies. The ETag is a hash of the file's bytes, so an unchanged file
 * stays valid in browsers and CDNs across rebuilds; each coding has its own tag, as the bytes differ.
 */
function entryFor(dist: string, target: string): Entry | undefined {
	let stat;
	try {
		stat = statSync(target);
	} catch {
		return undefined;
	}
	const hash = createHash('sha256').update(readFileSync(target)).digest('base64url').slice(0, 27);
	const representations: Representation[] = [
		{ file: target, size: stat.size, mtimeMs: stat.mtimeMs, etag: `"${hash}"` },
	];
	for (const { name, suffix } of ENCODINGS) {
		const copy = target + suffix;
		if (!existsSync(copy)) continue;
		const copyStat = statSync(copy);
		representations.push({
			file: copy,
			size: copyStat.size,
			mtimeMs: copyStat.mtimeMs,
			etag: `"${hash}-${name}"`,
			encoding: name,
		});
	}
	const type = contentType(`/${relative(dist, target).split(sep).join('/')}`);
	return {
		type,
		subresource: subresourceType(type),
		modifiedSeconds: Math.floor(stat.mtimeMs / 1000),
		lastModified: stat.mtime.toUTCString(),
		representations,
	};
}

/**
 * The answer with its headers as they are. Under @hono/node-server, a Response made from a plain object
 * is written with those headers directly; Hono's `c.body` would copy them into a Headers object first,
 * a cost the busiest route of the gate need not pay. (No middleware before this route sets headers
 * through Hono's context, whose prepared headers `c.body` would have added.)
 */
const answer = (body: BodyInit | null, status: number, headers: Record<string, string>) =>
	new Response(body, { status, headers });

/** The file's copies, and the representation to send a client that sent `acceptEncoding`. */
function pick(entry: Entry, acceptEncoding: string | undefined) {
	const [identity, ...copies] = entry.representations as [Representation, ...Representation[]];
	const encoding = chooseEncoding(
		acceptEncoding,
		copies.map((r) => r.encoding!),
	);
	return { copies, chosen: copies.find((r) => r.encoding === encoding) ?? identity };
}

/** Whether the file of `r` is no longer the one its entry describes: a build replaced or removed it. */
function replaced(r: Representation): boolean {
	const now = statSync(r.file, { throwIfNoEntry: false });
	return !now || now.size !== r.size || now.mtimeMs !== r.mtimeMs;
}

/** How many request paths the gate remembers the file of (a path and its file name, some 100 bytes each). */
const MAX_REMEMBERED = 20_000;

/** Files up to this size are kept in memory after their first request; larger ones are streamed. */
const SMALL_FILE = 256 * 1024;

/**
 * Serves `dist`: each file, or its brotli or gzip copy written by the build when the client accepts it
 * (with Vary), with an ETag and Last-Modified, answering 304 to a matching conditional GET. Hashed
 * assets under /_astro/ are cached for a year, everything else revalidated.
 */
export function staticRoutes(dist: string): Hono<Env> {
	const routes = new Hono<Env>();
	// What is read once is kept: a new build is served by a restarted gate (npm start builds, then serves).
	const entries = new Map<string, Entry | undefined>();
	const small = new Map<string, Buffer>();
	const resolved = new Map<string, string | undefined>();
	routes.on(['GET', 'HEAD'], '*', (c) => {
		// The path as sent (Hono's c.req.path is already decoded once; resolveStatic decodes it itself).
		const url = c.req.url;
		const start = url.indexOf('/', url.indexOf('//') + 2);
		const query = url.indexOf('?', start);
		const path = url.slice(start, query === -1 ? undefined : query);
		let file = resolved.get(path);
		if (file === undefined && !resolved.has(path)) {
			file = resolveStatic(dist, path);
			// Remembered for the paths of the site, not without bound for whatever a client makes up.
			if (resolved.size < MAX_REMEMBERED && path.length <= 512) resolved.set(path, file);
		}
		// Directory URLs without the trailing slash redirect, so relative links resolve as they would on a CDN.
		if (file && file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('.html'))
			return c.redirect(folderUrl(dist, dirname(file)), 301);
		// Copies live only beside a file resolveStatic found inside dist (or the 404 page), never elsewhere.
		const target = file ?? join(dist, '404.html');
		if (!entries.has(target)) entries.set(target, entryFor(dist, target));
		const accepted = c.req.header('Accept-Encoding');
		let entry = entries.get(target);
		if (!entry) return c.text('Not found\n', 404);
		let { copies, chosen } = pick(entry, accepted);
		// Bytes not kept in memory (a large file, or one only asked for by HEAD so far) are read from disk
		// when sent: a file a build has replaced since is described anew, so that no answer claims the old
		// file's length or tag. Kept bytes are sent with the entry they were read with.
		if (!small.has(chosen.file) && replaced(chosen)) {
			entries.set(target, (entry = entryFor(dist, target)));
			if (!entry) return c.text('Not found\n', 404);
			({ copies, chosen } = pick(entry, accepted));
		}
		const headers: Record<string, string> = {
			'Content-Type': entry.type,
			'Content-Length': String(chosen.size),
			// Only files that exist are immutable: a 404 under /_astro/ (a rolling deploy) must not be kept a year.
			'Cache-Control':
				file && path.startsWith('/_astro/')
					? 'public, max-age=31536000, immutable'
					: 'public, max-age=0, must-revalidate',
		};
		if (copies.length > 0) headers['Vary'] = 'Accept-Encoding';
		// Set by middleware/security-headers.ts on Node's response, where the gate serves the files.
		if (entry.subresource && c.env?.outgoing)
			for (const name of DOCUMENT_ONLY_HEADERS) c.env.outgoing.removeHeader(name);
		if (chosen.encoding) headers['Content-Encoding'] = chosen.encoding;
		if (file) {
			headers['ETag'] = chosen.etag;
			headers['Last-Modified'] = entry.lastModified;
			const conditional = {
				ifNoneMatch: c.req.header('If-None-Match'),
				ifModifiedSince: c.req.header('If-Modified-Since'),
			};
			if (notModified(conditional, chosen.etag, entry.modifiedSeconds)) {
				delete headers['Content-Length'];
				delete headers['Content-Type'];
				return answer(null, 304, headers);
			}
		}
		const status = file ? 200 : 404;
		if (c.req.method === 'HEAD') return answer(null, status, headers);
		if (chosen.size <= SMALL_FILE) {
			let bytes = small.get(chosen.file);
			if (!bytes) small.set(chosen.file, (bytes = readFileSync(chosen.file)));
			return answer(bytes as Uint8Array<ArrayBuffer>, status, headers);
		}
		return answer(Readable.toWeb(createReadStream(chosen.file)) as ReadableStream, status, headers);
	});
	routes.all('*', (c) => {
		throw methodRefusal(c.req.method, ['GET', 'HEAD']);
	});
	return routes;
}
