// Who is asking: the client's address, for the request log, the rate limits and the audit log.
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';

/**
 * Sets `ip` to the socket's address or, behind `trustProxy` reverse proxies, to the address the
 * outermost trusted proxy saw. Addresses further left in X-Forwarded-For are the client's to forge.
 */
export function clientIp(trustProxy: number) {
	return createMiddleware<Env>(async (c, next) => {
		const socketIp = c.env.incoming.socket.remoteAddress ?? 'unknown';
		if (trustProxy === 0) c.set('ip', socketIp);
		else {
			const chain = (c.req.header('x-forwarded-for') ?? '')
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			c.set('ip', chain[chain.length - trustProxy] ?? socketIp);
		}
		await next();
	});
}
