// The one static file server: GET and HEAD of any path from a built site, with its 404 page for unknown
// paths; other methods are refused. The gate mounts it last (its paths match everything) to serve dist/,
// and the whitepaper step serves the NDA edition with it for printing.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { Env } from '../context.ts';
import { GateError } from '../errors.ts';

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

/** The Content-Type for a file extension such as `.html`. */
export function contentType(ext: string): string {
	return TYPES.get(ext) ?? 'application/octet-stream';
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

/** Static files up to this size are kept in memory after their first request; larger ones are streamed. */
const SMALL_FILE = 256 * 1024;

/** Serves `dist`; hashed assets under /_astro/ are cached for a year, everything else revalidated. */
export function staticRoutes(dist: string): Hono<Env> {
	const routes = new Hono<Env>();
	const small = new Map<string, Buffer>();
	routes.on(['GET', 'HEAD'], '*', (c) => {
		// The path as sent (Hono's c.req.path is already decoded once; resolveStatic decodes it itself).
		const path = new URL(c.req.url).pathname;
		const file = resolveStatic(dist, path);
		// Directory URLs without the trailing slash redirect, so relative links resolve as they would on a CDN.
		if (file && file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('.html'))
			return c.redirect(folderUrl(dist, dirname(file)), 301);
		const target = file ?? join(dist, '404.html');
		let size: number;
		try {
			size = statSync(target).size;
		} catch {
			return c.text('Not found\n', 404);
		}
		// Only files that exist are immutable: a 404 under /_astro/ (a rolling deploy) must not be kept for a year.
		const cache =
			file && path.startsWith('/_astro/')
				? 'public, max-age=31536000, immutable'
				: 'public, max-age=0, must-revalidate';
		const headers = {
			'Content-Type': contentType(extname(target)),
			'Content-Length': String(size),
			'Cache-Control': cache,
		};
		if (c.req.method === 'HEAD') return c.body(null, file ? 200 : 404, headers);
		// Small files come from memory: dist/ does not change while the gate serves it (a rebuild restarts it).
		if (size <= SMALL_FILE) {
			let bytes = small.get(target);
			if (!bytes) small.set(target, (bytes = readFileSync(target)));
			return c.body(bytes as Uint8Array<ArrayBuffer>, file ? 200 : 404, {
				...headers,
				'Content-Length': String(bytes.length),
			});
		}
		return c.body(
			Readable.toWeb(createReadStream(target)) as ReadableStream,
			file ? 200 : 404,
			headers,
		);
	});
	routes.all('*', (c) => {
		throw new GateError(
			405,
			'Method not allowed',
			`${c.req.method.slice(0, 20)} is not allowed here.`,
			'method-not-allowed',
			{ headers: { Allow: 'GET, HEAD' } },
		);
	});
	return routes;
}
