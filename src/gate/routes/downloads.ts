// GET /download/: a signed link answered with the document, watermarked for its recipient.
import { Hono, type MiddlewareHandler } from 'hono';
import { requestMeta, type Env } from '../context.ts';
import { download } from '../services/downloads.ts';
import type { Gate } from '../services/gate.ts';

/** `pageLimit` is the per-address limit this page shares with the access pages. */
export function downloadRoutes(gate: Gate, pageLimit: MiddlewareHandler<Env>): Hono<Env> {
	const routes = new Hono<Env>();
	routes.get('/download/', pageLimit, async (c) => {
		const copy = await download(gate, new URL(c.req.url).searchParams, requestMeta(c));
		return c.body(copy.bytes as Uint8Array<ArrayBuffer>, 200, {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${copy.filename}"`,
			'X-Download-Id': copy.id,
			'Cache-Control': 'no-store',
		});
	});
	return routes;
}
