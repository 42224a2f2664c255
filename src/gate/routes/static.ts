// The built site: GET and HEAD of every path no other group answers, from dist/, with dist's 404 page
// for unknown paths. Any other method is refused. Mount it last: its paths match everything.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { Env } from '../context.ts';
import { GateError } from '../errors.ts';
import { contentType, resolveStatic } from '../static.ts';

/** Static files up to this size are kept in memory after their first request; larger ones are streamed. */
const SMALL_FILE = 256 * 1024;

/** Serves `dist`; hashed assets under /_astro/ are cached for a year, everything else revalidated. */
export function staticRoutes(dist: string): Hono<Env> {
	const routes = new Hono<Env>();
	const small = new Map<string, Buffer>();
	routes.on(['GET', 'HEAD'], '*', (c) => {
		const path = c.req.path;
		const file = resolveStatic(dist, path);
		if (file && file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('.html')) return c.redirect(`${path}/`, 301);
		const target = file ?? join(dist, '404.html');
		let size: number;
		try {
			size = statSync(target).size;
		} catch {
			return c.text('Not found\n', 404);
		}
		const cache = path.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate';
		const headers = { 'Content-Type': contentType(extname(target)), 'Content-Length': String(size), 'Cache-Control': cache };
		if (c.req.method === 'HEAD') return c.body(null, file ? 200 : 404, headers);
		// Small files come from memory: dist/ does not change while the gate serves it (a rebuild restarts it).
		if (size <= SMALL_FILE) {
			let bytes = small.get(target);
			if (!bytes) small.set(target, (bytes = readFileSync(target)));
			return c.body(bytes as Uint8Array<ArrayBuffer>, file ? 200 : 404, { ...headers, 'Content-Length': String(bytes.length) });
		}
		return c.body(Readable.toWeb(createReadStream(target)) as ReadableStream, file ? 200 : 404, headers);
	});
	routes.all('*', (c) => {
		throw new GateError(405, 'Method not allowed', `${c.req.method.slice(0, 20)} is not allowed here.`, 'method-not-allowed', { headers: { Allow: 'GET, HEAD' } });
	});
	return routes;
}
