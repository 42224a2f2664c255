// Who is asking: the client's address, for the request log, the rate limits and the audit log.
import { isIPv6 } from 'node:net';
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';

/**
 * What rate limits count an address under: an IPv4 address as it is (also when written as IPv6,
 * `::ffff:203.0.113.7`), an IPv6 address by its /64, which one household or one server usually holds
 * whole (`2001:db8:1:2::/64`), so that stepping through the addresses of one's own /64 is one client.
 */
export function ipBlock(ip: string): string {
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
	if (mapped) return mapped[1]!;
	if (!isIPv6(ip)) return ip;
	// Written out in eight groups: "::" stands for as many zero groups as are missing, and an IPv4 tail
	// (64:ff9b::192.0.2.1) fills two; the first four are the /64.
	const [head = '', tail] = ip.replace(/%.*$/, '').split('::');
	const split = (part: string) => (part ? part.split(':') : []);
	const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
	const [first, last] = [split(head), split(tail ?? '')];
	const groups =
		tail === undefined
			? first
			: [...first, ...Array<string>(8 - first.length - width(last)).fill('0'), ...last];
	return `${groups
		.slice(0, 4)
		.map((g) => parseInt(g, 16).toString(16))
		.join(':')}::/64`;
}

/**
 * Sets `ip` (and `ipBlock`) to the socket's address or, behind `trustProxy` reverse proxies, to the address the
 * outermost trusted proxy saw. Addresses further left in X-Forwarded-For are the client's to forge.
 */
export function clientIp(trustProxy: number) {
	return createMiddleware<Env>(async (c, next) => {
		const socketIp = c.env.incoming.socket.remoteAddress ?? 'unknown';
		let ip = socketIp;
		if (trustProxy > 0) {
			const chain = (c.req.header('x-forwarded-for') ?? '')
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			ip = chain[chain.length - trustProxy] ?? socketIp;
		}
		c.set('ip', ip);
		c.set('ipBlock', ipBlock(ip));
		await next();
	});
}
