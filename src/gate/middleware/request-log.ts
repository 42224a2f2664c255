// One log line per request, and the X-Request-Id that lets a requester's "Reference" find it.
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';
import type { Log } from '../log.ts';

/** Logs method, path (never the query string, which carries tokens), status, time and client address. */
export function requestLog(log: Log) {
	return createMiddleware<Env>(async (c, next) => {
		const started = performance.now();
		// On Node's response, as the security headers are (middleware/security-headers.ts).
		c.env.outgoing.setHeader('x-request-id', c.get('requestId'));
		await next();
		log('info', 'request', {
			requestId: c.get('requestId'),
			method: c.req.method,
			path: c.req.path.slice(0, 200),
			status: c.res.status,
			ms: Math.round(performance.now() - started),
			ip: c.get('ip'),
		});
	});
}
