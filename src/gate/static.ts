import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.xml': 'application/xml',
	'.txt': 'text/plain; charset=utf-8',
	'.csv': 'text/csv; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.pdf': 'application/pdf',
	'.webmanifest': 'application/manifest+json',
	'.wasm': 'application/wasm',
	'.woff2': 'font/woff2',
	'.pf_meta': 'application/octet-stream',
};

/** The Content-Type for a file extension such as `.html`. */
export function contentType(ext: string): string {
	return TYPES[ext] ?? 'application/octet-stream';
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

/** Serves files from `dir` (directory URLs get their index.html); unknown paths get dist's 404 page. */
export function serveStatic(dir: string, req: IncomingMessage, res: ServerResponse): void {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
		return;
	}
	const url = req.url ?? '/';
	const file = resolveStatic(dir, url);
	if (file) {
		// Directory URLs without the trailing slash redirect, so relative links resolve as they would on a CDN.
		const pathOnly = url.split('?')[0]!;
		if (file.endsWith(`${sep}index.html`) && !pathOnly.endsWith('/') && !pathOnly.endsWith('.html')) {
			res.writeHead(301, { Location: `${pathOnly}/` }).end();
			return;
		}
		send(res, req, file, 200);
		return;
	}
	const notFound = join(dir, '404.html');
	if (existsSync(notFound)) send(res, req, notFound, 404);
	else res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
}

function send(res: ServerResponse, req: IncomingMessage, file: string, status: number): void {
	const size = statSync(file).size;
	res.writeHead(status, { 'Content-Type': contentType(extname(file)), 'Content-Length': size, 'X-Content-Type-Options': 'nosniff' });
	if (req.method === 'HEAD') res.end();
	else createReadStream(file).pipe(res);
}
