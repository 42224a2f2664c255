// GET /download/: a signed link answered with the document, watermarked for its recipient.
import { Hono, type MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { GATE_PATHS } from '../../lib/routing/urls.ts';
import { requestMeta, type Env } from '../context.ts';
import { checkLink, download } from '../services/downloads.ts';
import type { Gate } from '../services/gate.ts';

const PDF_HEADERS = { 'Content-Type': 'application/pdf', 'Cache-Control': 'no-store' };

/** `pageLimit` is the per-address limit this page shares with the access pages. */
export function downloadRoutes(gate: Gate, pageLimit: MiddlewareHandler<Env>): Hono<Env> {
	const routes = new Hono<Env>();
	// The signature first, before the rate limit: junk costs an HMAC, never a database write. HEAD
	// (link checkers, mail scanners) is answered here: it never uses up a download or writes the audit log.
	const signedLink = createMiddleware<Env>(async (c, next) => {
		const query = new URL(c.req.url).searchParams;
		// A key rotated on another replica a moment ago is read before the link is judged.
		await gate.keyring.seek(query.get('kid') ?? undefined);
		c.set('link', checkLink(gate, query));
		if (c.req.method === 'HEAD') return c.body(null, 200, PDF_HEADERS);
		return next();
	});
	routes.get(GATE_PATHS.download, signedLink, pageLimit, async (c) => {
		const copy = await download(gate, c.var.link, requestMeta(c));
		return c.body(copy.bytes as Uint8Array<ArrayBuffer>, 200, {
			...PDF_HEADERS,
			'Content-Disposition': `attachment; filename="${copy.filename}"`,
			'X-Download-Id': copy.id,
		});
	});
	return routes;
}
