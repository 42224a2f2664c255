// HTTP/1.1 requires a Host header. Node would refuse a request without one itself, but without the
// security headers; the gate turns that check off in Node and refuses here, like any other request.
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';
import { readerRefusal } from '../errors.ts';

/** Refuses (400) an HTTP/1.1 request that names no Host. */
export const hostRequired = createMiddleware<Env>(async (c, next) => {
	const { httpVersion, headers } = c.env.incoming;
	if (httpVersion === '1.1' && !headers.host)
		throw readerRefusal(400, 'host-missing', {
			title: 'gateRefusal.invalidTitle',
			message: 'gateRefusal.hostMissing',
		});
	await next();
});
